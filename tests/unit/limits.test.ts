// What one connection, seat or address may make on the server, tried as an outsider would: the
// refusal names the limit, and the real briefing goes on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SfuServer } from '../../sfu-server/src/SfuServer';
import { startTestServer } from '../support/testServer';
import { publishInvites } from '../support/invitations';
import { OPUS_RTP_PARAMETERS, TestClient, clientPool } from '../support/sfuTestClient';

let server: SfuServer;
const { client, closeAll } = clientPool(() => server.url);

beforeAll(async () => {
  // Every test point connects from 127.0.0.1; in the field each meeting point has its own address.
  server = await startTestServer({ maxBriefings: 2, maxConnectionsPerAddress: 1000, emptyRoomMs: 1500 });
});
afterAll(async () => {
  closeAll();
  await server.close();
});

/** Waits for a controlChanged snapshot that passes `check`. */
async function control(c: TestClient, check: (state: { lobby: unknown[]; lobbyCount: number }) => boolean) {
  return c.waitFor('controlChanged', check, 5000);
}

describe('limits on what one client may make', () => {
  it('one seat gets the transports and producers a meeting point needs, and no more', async () => {
    const invites = await publishInvites(server, 'gioi-han-ghe', ['Xã Tân Lập']);
    const point = await client();
    await point.join('gioi-han-ghe', 'Xã Tân Lập', { credential: invites.points['Xã Tân Lập'] });
    const transports = [];
    for (let i = 0; i < 6; i++) transports.push(await point.request('createTransport', { direction: i === 0 ? 'send' : 'recv' }));
    expect(transports.slice(0, 4).every((t) => t.ok)).toBe(true);
    expect(transports[4].error).toMatchObject({ code: 'over_limit', message: expect.stringContaining('at most 4 transports') });
    const send = transports[0].data.id;
    const produced = [];
    for (let i = 0; i < 5; i++) produced.push(await point.request('produce', { transportId: send, kind: 'audio', source: 'mic', rtpParameters: { ...OPUS_RTP_PARAMETERS, mid: String(i), encodings: [{ ssrc: 1000 + i }] } }));
    expect(produced.slice(0, 3).map((p) => p.error ?? 'ok')).toEqual(['ok', 'ok', 'ok']);
    expect(produced[3].error).toMatchObject({ code: 'over_limit', message: expect.stringContaining('at most 3 producers') });
    // The seat still works for what it needs.
    expect((await point.request('ping', {})).ok).toBe(true);
  });

  it('a batch of streams cannot go past the consumers a seat may hold, however it is made up', async () => {
    // A server of its own: this briefing must not count against the cap the next test fills.
    const own = await startTestServer();
    const pool = clientPool(() => own.url);
    const client = pool.client;
    const invites = await publishInvites(own, 'gioi-han-lo', ['Xã Tân Lập', 'Xã Phú Sơn']);
    const sender = await client();
    await sender.join('gioi-han-lo', 'Xã Phú Sơn', { credential: invites.points['Xã Phú Sơn'] });
    const send = (await sender.request('createTransport', { direction: 'send' })).data.id;
    const mic = (await sender.request('produce', { transportId: send, kind: 'audio', source: 'mic', rtpParameters: { ...OPUS_RTP_PARAMETERS, encodings: [{ ssrc: 4242 }] } })).data.producerId;
    const point = await client();
    await point.join('gioi-han-lo', 'Xã Tân Lập', { credential: invites.points['Xã Tân Lập'] });
    const recv = (await point.request('createTransport', { direction: 'recv' })).data.id;
    // The same stream named 400 times in one request: made side by side, each would pass the cap.
    const batch = await point.request('consumeMany', { transportId: recv, producers: Array.from({ length: 400 }, () => ({ producerId: mic })) });
    expect(batch.ok).toBe(true);
    expect(batch.data.consumers).toHaveLength(1);
    expect(batch.data.refused).toHaveLength(399);
    expect(batch.data.refused[0]).toMatchObject({ code: 'bad_request', message: expect.stringContaining('named twice') });
    // Two points present: the cap is 3 × 2 = 6 consumers, and a second batch stops there.
    const more = await point.request('consumeMany', { transportId: recv, producers: Array.from({ length: 10 }, (_, i) => ({ producerId: i === 0 ? mic : `nope-${i}` })) });
    const overLimit = more.data.refused.filter((r: { code: string }) => r.code === 'over_limit');
    expect(more.data.consumers.length + 1).toBeLessThanOrEqual(6);
    expect(overLimit.length).toBe(10 - 5);
    expect(overLimit[0].message).toContain('at most 6 consumers');
    pool.closeAll();
    await own.close();
  });

  it('a stream asked for again, its answer lost on a weak link, is the same stream: asking does not fill the seat', async () => {
    const own = await startTestServer();
    const pool = clientPool(() => own.url);
    const invites = await publishInvites(own, 'hoi-lai', ['Xã Tân Lập', 'Xã Phú Sơn']);
    const sender = await pool.client();
    await sender.join('hoi-lai', 'Xã Phú Sơn', { credential: invites.points['Xã Phú Sơn'] });
    const send = (await sender.request('createTransport', { direction: 'send' })).data.id;
    const mic = (await sender.request('produce', { transportId: send, kind: 'audio', source: 'mic', rtpParameters: { ...OPUS_RTP_PARAMETERS, encodings: [{ ssrc: 4343 }] } })).data.producerId;
    const point = await pool.client();
    await point.join('hoi-lai', 'Xã Tân Lập', { credential: invites.points['Xã Tân Lập'] });
    const recv = (await point.request('createTransport', { direction: 'recv' })).data.id;
    // Two points present: a seat holds 6 consumers. Asked ten times, one at a time, as a point
    // whose replies keep timing out would: ten answers with the one consumer, none refused.
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(await point.request('consumeMany', { transportId: recv, producers: [{ producerId: mic }] }));
    expect(answers.flatMap((a) => a.data.refused)).toEqual([]);
    expect(new Set(answers.map((a) => a.data.consumers[0].consumerId)).size).toBe(1);
    // And it is a working consumer: resumed, it is not gone.
    const resumed = await point.request('resumeConsumers', { consumerIds: [answers[0].data.consumers[0].consumerId] });
    expect(resumed.data.gone).toEqual([]);
    pool.closeAll();
    await own.close();
  });

  it('asking for capabilities opens no media room, so anonymous callers cannot fill the cap of briefings', async () => {
    const codes = ['hoi-1', 'hoi-2', 'hoi-3', 'hoi-4'];
    const published = await Promise.all(codes.map((code) => publishInvites(server, code, ['Xã A'])));
    for (const code of codes) {
      const asker = await client();
      expect((await asker.request('getRouterRtpCapabilities', { briefingCode: code })).ok).toBe(true);
    }
    const before = server.roomCount();
    // A real chair still gets its briefing going (the cap is 2).
    const chair = await client();
    expect((await chair.join('hoi-1', published[0].chairSeat, { credential: published[0].chair })).data.status).toBe('joined');
    expect(server.roomCount()).toBe(before + 1);
    chair.close();
    // Empty, the room is kept a while for a point that comes back, then closes.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.roomCount()).toBe(before + 1);
    await expect.poll(() => server.roomCount(), { timeout: 5000 }).toBe(before);
  });

  it('the lobby takes a few from one address; points see only how many wait, the chair sees who', async () => {
    const invites = await publishInvites(server, 'gioi-han-cho', ['Xã Tân Lập']);
    const chair = await client();
    await chair.join('gioi-han-cho', invites.chairSeat, { credential: invites.chair });
    const point = await client();
    await point.join('gioi-han-cho', 'Xã Tân Lập', { credential: invites.points['Xã Tân Lập'] });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await (await client()).join('gioi-han-cho', `Xã Giả ${i}`));
    expect(answers.slice(0, 3).map((a) => a.data?.status)).toEqual(['lobby', 'lobby', 'lobby']);
    expect(answers[3].error).toMatchObject({ code: 'over_limit', message: expect.stringContaining('one network address') });
    const seen = await control(chair, (s) => s.lobby.length === 3);
    expect(seen.lobbyCount).toBe(3);
    const counted = await control(point, (s) => s.lobbyCount === 3);
    expect(counted.lobby).toEqual([]);
  });
});
