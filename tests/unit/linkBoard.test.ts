// The chair's board of links: each point's own report is shown while it keeps coming and the
// server has no reason to doubt it; a point that never reports, stops reporting, or reports a good
// link while its stream arrives broken is measured by the server instead, so a failing commune
// still shows. Reports are checked like any request: shape, size and rate. On a real mediasoup
// worker with plain-RTP points.
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGenerator } from '../../bench/sfu/rtp';
import type { SfuServer } from '../../sfu-server/src/SfuServer';
import { publishInvites } from '../support/invitations';
import { OPUS_RTP_PARAMETERS, TestClient } from '../support/sfuTestClient';
import { startTestServer } from '../support/testServer';

let server: SfuServer;
const clients: TestClient[] = [];
const stops: (() => void)[] = [];
beforeAll(async () => {
  server = await startTestServer({ allowPlainRtp: true, maxConnectionsPerAddress: 1000 });
});
afterAll(async () => {
  stops.forEach((stop) => stop());
  clients.forEach((c) => c.close());
  await server.close();
});

async function ok(client: TestClient, method: string, data: unknown = {}) {
  const reply = await client.request(method, data);
  if (!reply.ok) throw new Error(`${method}: ${reply.error?.message}`);
  return reply.data;
}

async function briefing(code: string, points: string[]) {
  const invites = await publishInvites(server, code, points);
  const seat = async (name: string, credential: string) => {
    const client = await TestClient.connect(server.url);
    clients.push(client);
    const joined = await client.join(code, name, { credential });
    if (!joined.ok) throw new Error(`${name}: ${joined.error?.message}`);
    return { client, seatId: joined.data.seatId as string };
  };
  const chair = await seat(invites.chairSeat, invites.chair);
  const seated = await Promise.all(points.map((name) => seat(name, invites.points[name])));
  return { chair, points: seated };
}

/** The point sends its microphone over plain RTP; returns where its packets go. */
async function sendAudio(client: TestClient, ssrc = OPUS_RTP_PARAMETERS.encodings[0].ssrc) {
  const transport = await ok(client, 'createPlainTransport', { direction: 'send' });
  await ok(client, 'produce', { transportId: transport.id, kind: 'audio', source: 'mic', rtpParameters: { ...OPUS_RTP_PARAMETERS, encodings: [{ ssrc }] } });
  return { ip: transport.ip as string, port: transport.port as number };
}

/** The board's latest entry for `seatId` that `match` accepts, as the chair receives it. */
const boardEntry = (chair: TestClient, seatId: string, match: (link: any) => boolean, timeoutMs = 12_000) =>
  chair.waitFor('linkHealth', (d) => d.links[seatId] !== undefined && match(d.links[seatId]), timeoutMs).then((d) => d.links[seatId]);

describe("the chair's board of links", () => {
  it("shows a point's own report, and measures a point that does not report or stops reporting", async () => {
    const { chair, points } = await briefing('bang-duong-truyen', ['Xã Tân Lập', 'Xã Hòa Bình']);
    const [reporting, silent] = points;
    const generator = startGenerator(await sendAudio(silent.client), { video: false });
    stops.push(() => generator.stop());

    const figures = { rttMs: 123, lossPct: 1.5, kbpsUp: 222, kbpsDown: 333 };
    await ok(reporting.client, 'reportLink', figures);
    expect(await boardEntry(chair.client, reporting.seatId, (l) => l.measuredBy === 'point')).toMatchObject(figures);
    // The silent point is on the board all the same, with what the server receives of it.
    const measured = await boardEntry(chair.client, silent.seatId, (l) => l.measuredBy === 'server' && l.kbpsUp > 0);
    expect(measured.kbpsUp).toBeGreaterThan(10);

    // The reporting point falls silent: within two samples the server measures it itself.
    const stale = await boardEntry(chair.client, reporting.seatId, (l) => l.measuredBy === 'server', 15_000);
    expect(stale.rttMs).not.toBe(123);
  }, 40_000);

  it('measures a point whose report says its link is good while what it sends arrives broken', async () => {
    const { chair, points } = await briefing('bang-duong-truyen-sai', ['Xã Phú Sơn']);
    const [liar] = points;
    const ssrc = 33_334_444;
    const target = await sendAudio(liar.client, ssrc);
    // Its microphone reaches the server with a third of its packets missing. The server scores a
    // stream it receives at each of its sender's reports (RFC 3550 6.4.1), sent here every second
    // as a browser does.
    const socket = dgram.createSocket('udp4');
    let seq = 0;
    const timer = setInterval(() => {
      seq++;
      if (seq % 50 === 0) {
        const report = Buffer.alloc(28);
        report[0] = 0x80;
        report[1] = 200;
        report.writeUInt16BE(6, 2);
        report.writeUInt32BE(ssrc, 4);
        report.writeUInt32BE((Math.floor(Date.now() / 1000) + 2_208_988_800) >>> 0, 8);
        report.writeUInt32BE((seq * 960) >>> 0, 16);
        socket.send(report, target.port, target.ip);
      }
      if (seq % 3 === 0) return;
      const packet = Buffer.alloc(12 + 3);
      packet[0] = 0x80;
      packet[1] = OPUS_RTP_PARAMETERS.codecs[0].payloadType;
      packet.writeUInt16BE(seq & 0xffff, 2);
      packet.writeUInt32BE((seq * 960) >>> 0, 4);
      packet.writeUInt32BE(ssrc, 8);
      packet.set([0xf8, 0xff, 0xfe], 12);
      socket.send(packet, target.port, target.ip);
    }, 20);
    stops.push(() => {
      clearInterval(timer);
      socket.close();
    });
    const perfect = { rttMs: 20, lossPct: 0, kbpsUp: 40, kbpsDown: 40 };
    const report = setInterval(() => void liar.client.request('reportLink', perfect), 1500);
    stops.push(() => clearInterval(report));
    const shown = await boardEntry(chair.client, liar.seatId, (l) => l.measuredBy === 'server' && l.lossPct > 10, 20_000);
    expect(shown.lossPct).toBeGreaterThan(20);
  }, 40_000);

  it('refuses a report that is malformed, too large a figure, or too soon after the last, and says why', async () => {
    const { chair, points } = await briefing('bang-duong-truyen-loi', ['Xã Đông Hải']);
    const [point] = points;
    for (const bad of [
      { rttMs: -1, lossPct: 0, kbpsUp: 0, kbpsDown: 0 },
      { rttMs: 10, lossPct: 101, kbpsUp: 0, kbpsDown: 0 },
      { rttMs: 10, lossPct: 0, kbpsUp: 5_000_000, kbpsDown: 0 },
      { rttMs: 10, lossPct: 0, kbpsUp: 0, kbpsDown: 0, stageHeldBack: true },
      { rttMs: '10', lossPct: 0, kbpsUp: 0, kbpsDown: 0 },
    ]) {
      const reply = await point.client.request('reportLink', bad);
      expect(reply.ok, JSON.stringify(bad)).toBe(false);
      expect(reply.error?.code).toBe('bad_request');
    }
    const good = { rttMs: 55, lossPct: 0.2, kbpsUp: 120, kbpsDown: 640 };
    await ok(point.client, 'reportLink', good);
    const tooSoon = await point.client.request('reportLink', { ...good, rttMs: 1 });
    expect(tooSoon.ok).toBe(false);
    expect(tooSoon.error).toMatchObject({ code: 'rate_limited', reason: 'message_rate', count: 1 });
    // The board keeps the report that was accepted.
    expect(await boardEntry(chair.client, point.seatId, (l) => l.measuredBy === 'point')).toMatchObject(good);
    // Before joining, nobody reports anything.
    const stranger = await TestClient.connect(server.url);
    clients.push(stranger);
    expect((await stranger.request('reportLink', good)).error?.code).toBe('not_joined');
  }, 30_000);
});
