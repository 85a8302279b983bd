// A connection that joins no briefing is not kept for ever: an outsider could otherwise hold its
// address's whole share of connections open doing nothing (talking does not count). It is told
// why and closed; a seated point or one waiting in the lobby is not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SfuServer } from '../../sfu-server/src/SfuServer';
import { publishInvites } from '../support/invitations';
import { TestClient, clientPool } from '../support/sfuTestClient';
import { startTestServer } from '../support/testServer';

const LIMIT_MS = 1500;
let server: SfuServer;
const { client, closeAll } = clientPool(() => server.url);

beforeAll(async () => {
  server = await startTestServer({ unjoinedLimitMs: LIMIT_MS, heartbeatMs: 200, maxConnectionsPerAddress: 1000 });
});
afterAll(async () => {
  closeAll();
  await server.close();
});

/** When (ms from now) the server closes `c`, and with which code; null if still open after `withinMs`. */
function closedWithin(c: TestClient, withinMs: number): Promise<{ afterMs: number; code: number } | null> {
  const started = performance.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), withinMs);
    c.socket.once('close', (code) => {
      clearTimeout(timer);
      resolve({ afterMs: performance.now() - started, code });
    });
  });
}

describe('connections that join nothing', () => {
  it('are told why and closed once the limit has passed, however much they talk', async () => {
    const idle = await client();
    const talker = await client();
    // What a link opened ahead of Join does: asks for the router's capabilities, then pings.
    expect((await talker.request('getRouterRtpCapabilities', { briefingCode: 'khong-vao' })).ok).toBe(false);
    const pings = setInterval(() => void talker.request('ping'), 200);
    try {
      const [idleClosed, talkerClosed] = await Promise.all([closedWithin(idle, LIMIT_MS + 3000), closedWithin(talker, LIMIT_MS + 3000)]);
      for (const closed of [idleClosed, talkerClosed]) {
        expect(closed?.code).toBe(4008);
        expect(closed!.afterMs).toBeGreaterThan(LIMIT_MS - 500);
      }
      for (const c of [idle, talker]) {
        expect(c.unsolicited.find((r) => r.error?.reason === 'join_timeout')?.error).toMatchObject({ code: 'over_limit', count: 2 });
      }
    } finally {
      clearInterval(pings);
    }
  });

  it('leaves a seated point and one waiting in the lobby alone, and closes one that left', async () => {
    const invites = await publishInvites(server, 'ngoi-lau', ['Xã Tân Lập']);
    const seated = await client();
    expect((await seated.join('ngoi-lau', 'Xã Tân Lập', { credential: invites.points['Xã Tân Lập'] })).ok).toBe(true);
    const waiting = await client();
    expect((await waiting.join('ngoi-lau', 'Khách')).data?.status).toBe('lobby');
    expect(await closedWithin(seated, LIMIT_MS + 2000)).toBeNull();
    expect(await closedWithin(waiting, 100)).toBeNull();
    expect((await seated.request('ping')).ok).toBe(true);

    // Having left, it is outside again: the limit counts from then.
    expect((await seated.request('leave')).ok).toBe(true);
    const closed = await closedWithin(seated, LIMIT_MS + 3000);
    expect(closed?.code).toBe(4008);
    expect(closed!.afterMs).toBeGreaterThan(LIMIT_MS - 500);
  });
});
