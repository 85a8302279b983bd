// A page's signaling link as a busy PC, server or link makes it: answers held back, or a request
// lost on the way. Set up before the page opens its WebSocket (before it joins).
import type { MeetingPoint } from './fixtures';

/** Holds the server's answers to this page's `method` requests until released. */
export async function holdAnswers(point: MeetingPoint, method: string): Promise<{ held: () => number; release: () => void }> {
  const asked = new Set<number>();
  const heldAnswers: (() => void)[] = [];
  let released = false;
  await point.page.routeWebSocket(/.*/, (page) => {
    const server = page.connectToServer();
    page.onMessage((message) => {
      const request = JSON.parse(String(message)) as { id?: number; method?: string };
      if (request.method === method && typeof request.id === 'number') asked.add(request.id);
      server.send(message);
    });
    server.onMessage((message) => {
      const answer = JSON.parse(String(message)) as { id?: number };
      if (!released && typeof answer.id === 'number' && asked.has(answer.id)) heldAnswers.push(() => page.send(message));
      else page.send(message);
    });
  });
  return {
    held: () => heldAnswers.length,
    release: () => {
      released = true;
      heldAnswers.splice(0).forEach((send) => send());
    },
  };
}

/** Once armed, the page's next `method` request never reaches the server, and no answer comes. */
export async function loseNextRequest(point: MeetingPoint, method: string): Promise<{ arm: () => void; lost: () => number }> {
  let armed = false;
  let lost = 0;
  await point.page.routeWebSocket(/.*/, (page) => {
    const server = page.connectToServer();
    page.onMessage((message) => {
      const request = JSON.parse(String(message)) as { method?: string };
      if (armed && request.method === method) {
        armed = false;
        lost++;
        return;
      }
      server.send(message);
    });
    server.onMessage((message) => page.send(message));
  });
  return {
    arm: () => (armed = true),
    lost: () => lost,
  };
}

export interface SeenLink {
  /** The methods the page asked for over this link, in order. */
  methods: string[];
  closed: boolean;
  /** Drops the link, as a server restarting or a link failing does. */
  drop: () => Promise<void>;
}

/** Every signaling link the page opens, with what it asked over each. */
export async function watchLinks(point: MeetingPoint): Promise<() => SeenLink[]> {
  const links: SeenLink[] = [];
  await point.page.routeWebSocket(/.*/, (page) => {
    const server = page.connectToServer();
    const link: SeenLink = {
      methods: [],
      closed: false,
      drop: async () => {
        await server.close({ code: 1001, reason: 'going away' });
        await page.close({ code: 1001, reason: 'going away' });
      },
    };
    links.push(link);
    page.onMessage((message) => {
      const { method } = JSON.parse(String(message)) as { method?: string };
      if (method) link.methods.push(method);
      server.send(message);
    });
    server.onMessage((message) => page.send(message));
    // Set, this handler forwards the page's closing itself.
    page.onClose(() => {
      link.closed = true;
      void server.close();
    });
  });
  return () => links;
}
