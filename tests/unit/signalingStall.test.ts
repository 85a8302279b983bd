// A meeting point's PC that is itself held up (an old PC busy receiving a large briefing) must not
// take a healthy link for dead; a server that really went quiet is still noticed.
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { SignalingClient } from '../../renderer/src/briefing/SignalingClient';

beforeAll(() => {
  // The page's WebSocket; `ws` implements the same event interface.
  Object.assign(globalThis, { WebSocket });
});

let server: WebSocketServer | null = null;
afterEach(() => {
  server?.close();
  server = null;
});

/** A server that answers pings while `answering` says so, and says nothing else. */
async function pingServer(answering: () => boolean): Promise<string> {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (socket) => {
    socket.on('message', (raw) => {
      const { id } = JSON.parse(String(raw)) as { id: number };
      if (answering()) socket.send(JSON.stringify({ id, ok: true, data: {} }));
    });
  });
  await new Promise((resolve) => server!.once('listening', resolve));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The page's main thread busy for `ms`: no timer, no message handled meanwhile. */
function holdThePage(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy, as a page laying out 200 points' streams
  }
}

describe('the signaling watchdog', () => {
  it('keeps the link when the page itself was held up longer than the silence limit', async () => {
    const client = await SignalingClient.connect(await pingServer(() => true));
    let closed = false;
    client.onClose(() => (closed = true));
    await sleep(2500);
    holdThePage(9000);
    await sleep(4500);
    expect(closed).toBe(false);
    await expect(client.request('ping', {})).resolves.toEqual({});
    client.close();
  }, 30_000);

  it('still takes a server that stopped answering for dead, within ten seconds', async () => {
    let answering = true;
    const client = await SignalingClient.connect(await pingServer(() => answering));
    const closed: { at: number | null } = { at: null };
    client.onClose(() => (closed.at = Date.now()));
    await sleep(2500);
    answering = false;
    const quietFrom = Date.now();
    while (closed.at === null && Date.now() - quietFrom < 15_000) await sleep(200);
    expect(closed.at).not.toBeNull();
    expect((closed.at ?? Infinity) - quietFrom).toBeLessThan(10_000);
  }, 30_000);
});
