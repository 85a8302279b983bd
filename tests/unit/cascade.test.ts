// A national briefing in cascade, three servers on this machine: the central chair sends; two
// province servers relay the briefing over pipe transports; a commune seated on each province
// server receives the central chair's sound and video, sees the central chair as the chair, and
// gets them back by itself after the central server restarts.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type SfuServer, startSfuServer } from '../../sfu-server/src/SfuServer';
import { type Generator, Sink, producerRtpParameters, startGenerator } from '../../bench/sfu/rtp';
import { invitationLink } from '../../main/api/invitation';
import { runConsoleCommand } from '../../sfu-server/src/console';
import { organizerKeyOf, publishInvites } from '../support/invitations';
import { briefingDraft } from '../support/recordFixture';
import { TestClient } from '../support/sfuTestClient';

const servers: SfuServer[] = [];
const dataDirs = new Map<SfuServer, string>();
const clients: TestClient[] = [];
const sinks: Sink[] = [];
const generators: Generator[] = [];
afterAll(async () => {
  generators.forEach((g) => g.stop());
  sinks.forEach((s) => s.close());
  clients.forEach((c) => c.close());
  await Promise.all(servers.map((s) => s.close()));
});

async function server(options: { dataDir?: string; port?: number } = {}): Promise<SfuServer> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-cascade-'));
  const s = await startSfuServer({ host: '127.0.0.1', port: options.port ?? 0, mediaAddresses: [{ ip: '127.0.0.1' }], mediaPort: 0, workers: 1, dataDir, allowPlainRtp: true });
  servers.push(s);
  dataDirs.set(s, dataDir);
  return s;
}

async function connect(url: string): Promise<TestClient> {
  const client = await TestClient.connect(url);
  clients.push(client);
  return client;
}

/** The central chair: joins and sends generated sound and video over plain RTP. */
async function centralChair(central: SfuServer, code: string, credential: string): Promise<TestClient> {
  const chair = await connect(central.url);
  expect((await chair.join(code, 'Văn phòng Chính phủ', { credential })).ok).toBe(true);
  const send = (await chair.request('createPlainTransport', { direction: 'send' })).data;
  for (const [kind, source] of [['audio', 'mic'], ['video', 'camera']] as const) {
    expect((await chair.request('produce', { transportId: send.id, kind, source, rtpParameters: producerRtpParameters[kind] })).ok).toBe(true);
  }
  generators.push(startGenerator({ ip: send.ip, port: send.port }));
  return chair;
}

/** A commune on its province server: waits for the upper chair's two streams, receives them
 * (video at its thumbnail layer) and counts what arrives. */
async function communeReceiving(province: SfuServer, code: string, seat: string, credential: string): Promise<{ client: TestClient; sink: Sink; upperChair: string }> {
  const client = await connect(province.url);
  expect((await client.join(code, seat, { credential })).ok).toBe(true);
  const upperChair = await waitForUpperChair(client);
  const sink = new Sink();
  sinks.push(sink);
  const port = await sink.bind();
  const recv = (await client.request('createPlainTransport', { direction: 'recv' })).data;
  await client.request('connectPlainTransport', { transportId: recv.id, ip: '127.0.0.1', port });
  const producers = await producersOf(client, upperChair);
  const made = await client.request('consumeMany', { transportId: recv.id, producers: producers.map((producerId) => ({ producerId, wish: { spatialLayer: 0 } })) });
  expect(made.data.refused).toEqual([]);
  await client.request('resumeConsumers', { consumerIds: made.data.consumers.map((c: { consumerId: string }) => c.consumerId) });
  return { client, sink, upperChair };
}

/** The peer the commune's view of the briefing names as the chair, once it sends two streams. */
async function waitForUpperChair(client: TestClient): Promise<string> {
  const control = await client.waitFor('controlChanged', (c) => c.seats.some((s: { role: string; seat: string; peerId: string | null }) => s.role === 'chair' && s.seat === 'Văn phòng Chính phủ' && s.peerId), 20_000);
  const peerId: string = control.seats.find((s: { role: string }) => s.role === 'chair').peerId;
  await expect.poll(async () => (await producersOf(client, peerId)).length, { timeout: 10_000 }).toBe(2);
  return peerId;
}

/** The streams of a peer as the notifications told them, less those closed since. */
async function producersOf(client: TestClient, peerId: string): Promise<string[]> {
  const live = new Set<string>();
  for (const peer of client.lastJoin.peers) if (peer.id === peerId) peer.producers.forEach((p: { id: string }) => live.add(p.id));
  for (const n of client.notifications) {
    if (n.notification === 'peerJoined' && n.data.peer.id === peerId) n.data.peer.producers.forEach((p: { id: string }) => live.add(p.id));
    if (n.notification === 'producerAdded' && n.data.peerId === peerId) live.add(n.data.producer.id);
    if (n.notification === 'producerClosed' && n.data.peerId === peerId) live.delete(n.data.producerId);
  }
  return [...live];
}

async function received(sink: Sink, ms = 2000): Promise<{ packets: number; missing: number }> {
  sink.startCounting();
  await new Promise((r) => setTimeout(r, ms));
  return sink.finish();
}

describe('a briefing relayed from the central server through two province servers', () => {
  it('reaches a commune on each province, the central chair on its stage, and comes back after the central server restarts', async () => {
    const central = await server();
    const national = await publishInvites(central, 'quoc-gia', ['Bộ Nội vụ'], { chairSeat: 'Văn phòng Chính phủ', servers: ['Tỉnh Bình Nguyên', 'Tỉnh Hòa Sơn'] });
    await centralChair(central, 'quoc-gia', national.chair);

    const provinces = await Promise.all(
      [['Tỉnh Bình Nguyên', 'tinh-binh-nguyen', 'Xã Tân Lập'], ['Tỉnh Hòa Sơn', 'tinh-hoa-son', 'Phường Đông Hà']].map(async ([relaySeat, code, commune]) => {
        const province = await server();
        const local = await publishInvites(province, code, [commune], { chairSeat: `UBND ${relaySeat.toLowerCase()}` });
        // The province's operator links its briefing on the console, with the relay seat's invitation.
        const invitation = invitationLink({ serverUrl: central.url, briefingCode: 'quoc-gia', inviteCode: national.relays[relaySeat] });
        let said = '';
        expect(await runConsoleCommand(['cascade', 'link', code, invitation, '--data-dir', dataDirs.get(province) ?? ''], {}, (line) => (said += line))).toBe(0);
        expect(said).toMatch(/relays quoc-gia/);
        return { province, code, commune, credential: local.points[commune] };
      }),
    );
    const communes = await Promise.all(provinces.map((p) => communeReceiving(p.province, p.code, p.commune, p.credential)));
    for (const { sink } of communes) {
      // 50 audio packets a second and the thumbnail layer's 30: about 160 in 2 s.
      const stats = await received(sink);
      expect(stats.packets).toBeGreaterThan(120);
      expect(stats.missing).toBe(0);
    }
    // The upper briefing sees each province as one seat, present, its communes rolled up.
    const relaySeats = (await centralSnapshotSeats(central, national.points['Bộ Nội vụ'])).filter((s) => s.role === 'relay');
    expect(relaySeats.map((s) => [s.seat, s.state, s.relayed])).toEqual([
      ['Tỉnh Bình Nguyên', 'present', { present: 1, invited: 1 }],
      ['Tỉnh Hòa Sơn', 'present', { present: 1, invited: 1 }],
    ]);

    // The central server restarts (its data kept): the links come back by themselves, the
    // communes keep their seats and get the chair's streams again once the chair is back.
    const { port } = central;
    const dataDir = dataDirs.get(central);
    await central.close();
    servers.splice(servers.indexOf(central), 1);
    for (const { client, upperChair } of communes) await client.waitFor('peerLeft', (d) => d.peerId === upperChair, 10_000);
    const restarted = await server({ dataDir, port });
    await centralChair(restarted, 'quoc-gia', national.chair);
    for (const [index, p] of provinces.entries()) {
      const again = await communeAgain(communes[index].client, p.province, communes[index].upperChair);
      const stats = await received(again);
      expect(stats.packets).toBeGreaterThan(120);
    }
  }, 90_000);
});

describe('the floor across servers', () => {
  it('goes from a commune on one province, asked through its relay, granted by the central chair, to a commune on the other province', async () => {
    const central = await server();
    const national = await publishInvites(central, 'quoc-gia-2', ['Bộ Nội vụ'], { chairSeat: 'Văn phòng Chính phủ', servers: ['Tỉnh Bình Nguyên', 'Tỉnh Hòa Sơn'] });
    const chair = await centralChair(central, 'quoc-gia-2', national.chair);
    const [east, west] = await Promise.all(
      [['Tỉnh Bình Nguyên', 'tinh-bn-2', 'Xã Tân Lập'], ['Tỉnh Hòa Sơn', 'tinh-hs-2', 'Phường Đông Hà']].map(async ([relaySeat, code, commune]) => {
        const province = await server();
        const local = await publishInvites(province, code, [commune], { chairSeat: `UBND ${relaySeat.toLowerCase()}` });
        await province.cascade.add({ localBriefing: code, upperUrl: central.url, upperBriefing: 'quoc-gia-2', inviteCode: national.relays[relaySeat], caFingerprint: null });
        return { province, code, commune, credential: local.points[commune] };
      }),
    );
    const listener = await communeReceiving(east.province, east.code, east.commune, east.credential);
    // Briefing mode, set by the central chair, holds on the provinces too.
    expect((await chair.request('setFloorMode', { mode: 'briefing' })).ok).toBe(true);
    await listener.client.waitFor('controlChanged', (c) => c.floor.mode === 'briefing', 15_000);

    // Phường Đông Hà, on the other province, sends sound and video and asks to speak.
    const speaker = await connect(west.province.url);
    expect((await speaker.join(west.code, west.commune, { credential: west.credential })).ok).toBe(true);
    await waitForUpperChair(speaker);
    const send = (await speaker.request('createPlainTransport', { direction: 'send' })).data;
    for (const [kind, source] of [['audio', 'mic'], ['video', 'camera']] as const) {
      expect((await speaker.request('produce', { transportId: send.id, kind, source, rtpParameters: producerRtpParameters[kind] })).ok).toBe(true);
    }
    generators.push(startGenerator({ ip: send.ip, port: send.port }));
    // Its microphone is closed by the briefing mode until it has the floor.
    await speaker.waitFor('producerPaused', (d) => d.paused, 15_000);
    expect((await speaker.request('requestFloor', {})).ok).toBe(true);

    // The central chair's queue names the province and the commune; the chair gives it the floor.
    const asked = await chair.waitFor('controlChanged', (c) => c.floor.queue.length > 0, 15_000);
    expect(asked.floor.queue.map((q: { seat: string }) => q.seat)).toEqual(['Tỉnh Hòa Sơn — Phường Đông Hà']);
    expect((await chair.request('grantFloor', { seatId: asked.floor.queue[0].seatId })).ok).toBe(true);
    // The speaker's own province gives it the floor too.
    await speaker.waitFor('controlChanged', (c) => c.floor.speaker?.seat === west.commune, 15_000);

    // On the other province the floor holder is on stage (the relay's seat), its streams flowing.
    const onStage = await listener.client.waitFor('controlChanged', (c) => c.floor.speaker?.seat === 'Tỉnh Hòa Sơn' && c.seats.some((s: { seat: string; peerId: string | null }) => s.seat === 'Tỉnh Hòa Sơn' && s.peerId), 15_000);
    const stagePeer: string = onStage.seats.find((s: { seat: string }) => s.seat === 'Tỉnh Hòa Sơn').peerId;
    await expect.poll(async () => (await producersOf(listener.client, stagePeer)).length, { timeout: 10_000 }).toBe(2);
    const sink = new Sink();
    sinks.push(sink);
    const port = await sink.bind();
    const recv = (await listener.client.request('createPlainTransport', { direction: 'recv' })).data;
    await listener.client.request('connectPlainTransport', { transportId: recv.id, ip: '127.0.0.1', port });
    const made = await listener.client.request('consumeMany', { transportId: recv.id, producers: (await producersOf(listener.client, stagePeer)).map((producerId) => ({ producerId, wish: { spatialLayer: 0 } })) });
    expect(made.data.refused).toEqual([]);
    await listener.client.request('resumeConsumers', { consumerIds: made.data.consumers.map((c: { consumerId: string }) => c.consumerId) });
    expect((await received(sink)).packets).toBeGreaterThan(120);

    // The chair takes the floor back: the streams going up end everywhere.
    expect((await chair.request('revokeFloor', {})).ok).toBe(true);
    await expect.poll(async () => (await producersOf(listener.client, stagePeer)).length, { timeout: 10_000 }).toBe(0);
    await speaker.waitFor('controlChanged', (c) => c.floor.speaker === null, 15_000);
  }, 60_000);
});

describe('the documents of the upper briefing', () => {
  it('are brought to the province server and served to its communes from there', async () => {
    const central = await server();
    const key = await organizerKeyOf(central);
    const pdf = Buffer.from('%PDF-1.4\n% báo cáo tình hình kinh tế - xã hội\n%%EOF\n');
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    const base = central.url.replace('ws://', 'http://');
    const uploaded = await fetch(`${base}/catalog/documents/${sha256}`, { method: 'PUT', headers: { 'content-type': 'application/pdf', 'x-document-name': encodeURIComponent('Báo cáo.pdf'), authorization: `Bearer ${key}` }, body: new Uint8Array(pdf) });
    expect(uploaded.status).toBeLessThan(300);
    const agenda = [{ title: 'Tình hình kinh tế - xã hội tháng 11', presenter: 'Bộ Kế hoạch', plannedMinutes: 30, documents: [{ sha256, name: 'Báo cáo.pdf', mimeType: 'application/pdf' as const, size: pdf.length }] }];
    const published = await fetch(`${base}/catalog/briefings`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(briefingDraft({ code: 'quoc-gia-3', invitedPoints: ['Bộ Nội vụ'], invitedServers: ['Tỉnh Bình Nguyên'], agenda, startsAt: new Date(Date.now() + 3600_000).toISOString() })) });
    const relayCode = ((await published.json()) as { credentials: { role: string; code: string }[] }).credentials.find((c) => c.role === 'relay')?.code ?? '';

    const province = await server();
    const local = await publishInvites(province, 'tinh-bn-3', ['Xã Tân Lập']);
    const commune = await connect(province.url);
    expect((await commune.join('tinh-bn-3', 'Xã Tân Lập', { credential: local.points['Xã Tân Lập'] })).ok).toBe(true);
    await province.cascade.add({ localBriefing: 'tinh-bn-3', upperUrl: central.url, upperBriefing: 'quoc-gia-3', inviteCode: relayCode, caFingerprint: null });
    // The commune is told of the new version and fetches the document from its own server.
    await commune.waitFor('briefingUpdated', (d) => d.code === 'tinh-bn-3', 20_000);
    expect((await province.catalog.latest('tinh-bn-3'))?.agenda).toEqual(agenda);
    const fromProvince = await fetch(`${province.url.replace('ws://', 'http://')}/catalog/documents/${sha256}`, { headers: { authorization: `Bearer ${local.points['Xã Tân Lập']}` } });
    expect(fromProvince.status).toBe(200);
    expect(Buffer.from(await fromProvince.arrayBuffer()).equals(pdf)).toBe(true);
  }, 60_000);
});

/** The commune, still seated, takes the central chair's streams again when they come back. */
async function communeAgain(client: TestClient, _province: SfuServer, before: string): Promise<Sink> {
  const chair = await client.waitFor('controlChanged', (c) => c.seats.some((s: { role: string; seat: string; peerId: string | null }) => s.role === 'chair' && s.seat === 'Văn phòng Chính phủ' && s.peerId && s.peerId !== before), 30_000);
  const peerId: string = chair.seats.find((s: { role: string }) => s.role === 'chair').peerId;
  await expect.poll(async () => (await producersOf(client, peerId)).length, { timeout: 10_000 }).toBe(2);
  const sink = new Sink();
  sinks.push(sink);
  const port = await sink.bind();
  const recv = (await client.request('createPlainTransport', { direction: 'recv' })).data;
  await client.request('connectPlainTransport', { transportId: recv.id, ip: '127.0.0.1', port });
  const made = await client.request('consumeMany', { transportId: recv.id, producers: (await producersOf(client, peerId)).map((producerId) => ({ producerId, wish: { spatialLayer: 0 } })) });
  await client.request('resumeConsumers', { consumerIds: made.data.consumers.map((c: { consumerId: string }) => c.consumerId) });
  return sink;
}

async function centralSnapshotSeats(central: SfuServer, credential: string): Promise<{ seat: string; role: string; state: string; relayed?: { present: number; invited: number } }[]> {
  const ministry = await connect(central.url);
  expect((await ministry.join('quoc-gia', 'Bộ Nội vụ', { credential })).ok).toBe(true);
  return ministry.lastJoin.control.seats;
}
