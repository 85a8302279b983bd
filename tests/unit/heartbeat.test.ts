// Finding meeting points whose link died without a word, and only those: a point that stops
// answering is dropped within a few pings; a server that was itself held up (a join storm on a
// busy machine) does not blame every point for answers it has not read yet.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SfuServer } from '../../sfu-server/src/SfuServer';
import { startTestServer } from '../support/testServer';
import { publishInvites } from '../support/invitations';
import { TestClient } from '../support/sfuTestClient';

const HEARTBEAT_MS = 200;
let server: SfuServer;
const clients: TestClient[] = [];
beforeAll(async () => {
  server = await startTestServer({ heartbeatMs: HEARTBEAT_MS });
});
afterAll(async () => {
  clients.forEach((c) => c.close());
  await server.close();
});

async function connect(): Promise<TestClient> {
  const c = await TestClient.connect(server.url);
  clients.push(c);
  return c;
}
const closed = (c: TestClient) => new Promise<void>((resolve) => c.socket.once('close', () => resolve()));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the heartbeat', () => {
  it('drops a point that stops answering pings, and keeps one that answers', async () => {
    const dead = await connect();
    const alive = await connect();
    // The link died: nothing comes back, not even a pong.
    dead.socket.pong = () => undefined;
    const started = Date.now();
    await closed(dead);
    const after = Date.now() - started;
    expect(after).toBeGreaterThanOrEqual(2 * HEARTBEAT_MS);
    expect(after).toBeLessThan(10 * HEARTBEAT_MS);
    expect((await alive.request('ping', {})).ok).toBe(true);
  });

  it('keeps every point when the server itself was held up for longer than three pings', async () => {
    const points = await Promise.all(Array.from({ length: 5 }, () => connect()));
    let dropped = 0;
    for (const p of points) p.socket.once('close', () => dropped++);
    await sleep(HEARTBEAT_MS * 1.5);
    // Server and points share this process: blocking it is the server being too busy to read.
    for (let stall = 0; stall < 3; stall++) {
      const until = Date.now() + 4 * HEARTBEAT_MS;
      while (Date.now() < until);
      await sleep(HEARTBEAT_MS / 2);
    }
    await sleep(2 * HEARTBEAT_MS);
    expect(dropped).toBe(0);
    for (const p of points) expect((await p.request('ping', {})).ok).toBe(true);
  });

  it('says in its log when it was itself held up long enough for points to take their link for dead', async () => {
    const warn = vi.spyOn(console, 'warn');
    try {
      const until = Date.now() + 2600;
      while (Date.now() < until);
      await sleep(700);
      const said = warn.mock.calls.map((call) => String(call[0])).filter((line) => line.includes('held up'));
      expect(said).toHaveLength(1);
      expect(said[0]).toMatch(/^\[sfu\] the server was held up for [2-9]\.\d s/);
      // Short waits, as a busy second has, are not worth a line.
      warn.mockClear();
      const shortUntil = Date.now() + 500;
      while (Date.now() < shortUntil);
      await sleep(700);
      expect(warn.mock.calls.filter((call) => String(call[0]).includes('held up'))).toHaveLength(0);
    } finally {
      warn.mockRestore();
    }
  });

  it("answers a point's own liveness check at once, even behind its slow requests", async () => {
    const invites = await publishInvites(server, 'kiem-tra-song', ['Xã Tân Lập']);
    const point = await connect();
    const caps = await point.request('getRouterRtpCapabilities', { briefingCode: 'kiem-tra-song' });
    // A join (a room opened on a worker) and the ping right behind it: the ping's answer comes
    // first. Queued behind the join, a point making 400 streams on a busy server went unanswered
    // past its silence limit and took a working link for dead.
    const order: string[] = [];
    const joined = point
      .request('join', { briefingCode: 'kiem-tra-song', displayName: 'Xã Tân Lập', rtpCapabilities: caps.data.routerRtpCapabilities, credential: invites.points['Xã Tân Lập'] })
      .then((reply) => order.push(`join ${reply.ok}`));
    const pinged = point.request('ping', {}).then((reply) => order.push(`ping ${reply.ok}`));
    await Promise.all([joined, pinged]);
    expect(order).toEqual(['ping true', 'join true']);
  });
});
