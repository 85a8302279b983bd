// A signaling client for tests, in Node: speaks the protocol over ws and records notifications.
import WebSocket from 'ws';

export interface Reply {
  id: number | null;
  ok: boolean;
  data?: any;
  error?: { code: string; message: string; reason?: string; count?: number };
}

/** Notifications that carry the whole state each time (the latest says everything). */
const SNAPSHOTS = new Set(['controlChanged', 'linkHealth']);

export class TestClient {
  readonly notifications: { notification: string; data: any }[] = [];
  private readonly replies = new Map<number, (r: Reply) => void>();
  readonly unsolicited: Reply[] = [];
  /** What the last successful join answered (the seat's secret among it). */
  lastJoin: any;
  private nextId = 1;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (raw) => {
      const message = JSON.parse(String(raw));
      if ('notification' in message) {
        // Snapshots of the whole briefing supersede the last one: kept all, 200 test points would
        // hold gigabytes of them, and the test process's pauses cost them their heartbeats.
        if (SNAPSHOTS.has(message.notification)) {
          const previous = this.notifications.findLastIndex((n) => n.notification === message.notification);
          if (previous >= 0) this.notifications.splice(previous, 1);
        }
        this.notifications.push(message);
      }
      else if (message.id !== null && this.replies.has(message.id)) this.replies.get(message.id)!(message);
      else this.unsolicited.push(message);
    });
  }

  static async connect(url: string): Promise<TestClient> {
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return new TestClient(socket);
  }

  request(method: string, data: unknown = {}): Promise<Reply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.replies.set(id, resolve);
      this.socket.send(JSON.stringify({ id, method, data }));
    });
  }

  /** Joins with an invite code (or a seat secret as `resume`); without either, into the lobby.
   * `capabilities`: what the point says it can receive, from the router's (all of them if not given). */
  async join(
    briefingCode: string,
    displayName: string,
    { capabilities = (all) => all, ...access }: { credential?: string; resume?: string; capabilities?: (routerCapabilities: any) => unknown } = {},
  ): Promise<Reply> {
    const caps = await this.request('getRouterRtpCapabilities', { briefingCode });
    if (!caps.ok) return caps;
    const reply = await this.request('join', { briefingCode, displayName, rtpCapabilities: capabilities(caps.data.routerRtpCapabilities), ...access });
    if (reply.ok) this.lastJoin = reply.data;
    return reply;
  }

  async waitFor(notification: string, match: (data: any) => boolean = () => true, timeoutMs = 5000): Promise<any> {
    const started = Date.now();
    for (;;) {
      const found = this.notifications.find((n) => n.notification === notification && match(n.data));
      if (found) return found.data;
      if (Date.now() - started > timeoutMs) throw new Error(`no ${notification} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.socket.close();
  }
}

/** RTP parameters of an Opus stream, as a browser would announce them. */
export const OPUS_RTP_PARAMETERS = {
  mid: '0',
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: {}, rtcpFeedback: [] }],
  headerExtensions: [],
  encodings: [{ ssrc: 22223333 }],
  rtcp: { cname: 'test', reducedSize: true },
};

/** Clients a test opens against one server, closed together at the end. */
export function clientPool(url: () => string): { client: () => Promise<TestClient>; closeAll: () => void } {
  const open: TestClient[] = [];
  return {
    client: async () => {
      const c = await TestClient.connect(url());
      open.push(c);
      return c;
    },
    closeAll: () => open.forEach((c) => c.close()),
  };
}
