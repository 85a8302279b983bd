// Who may relay a briefing, and what a relay may do: only a seat the organizer invited as a
// server opens pipes; a pipe sends media back only to the relay's own address; a stream crosses
// a link once; a province server trusts the upper server only by the CA its invitation names;
// the operator's console refuses a broken invitation and a second link for one briefing, and a
// link removed on the console is dropped by the running server; an upper server that names more
// points than a briefing holds is followed no further.
import fs from 'node:fs';
import os from 'node:os';
import { once } from 'node:events';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { MAX_UPPER_POINTS } from '../../sfu-server/src/cascade/UpperLink';
import { runConsoleCommand } from '../../sfu-server/src/console';
import { type SfuServer, startSfuServer } from '../../sfu-server/src/SfuServer';
import { producerRtpParameters } from '../../bench/sfu/rtp';
import { invitedSeats } from '../../sfu-server/protocol/briefing';
import { publishInvites } from '../support/invitations';
import { briefingDraft } from '../support/recordFixture';
import { TestClient } from '../support/sfuTestClient';

const servers: SfuServer[] = [];
const clients: TestClient[] = [];
const proxies: WebSocketServer[] = [];
afterAll(async () => {
  clients.forEach((c) => c.close());
  proxies.forEach((p) => p.close());
  await Promise.all(servers.map((s) => s.close()));
});

async function server(extra: { tlsDir?: string } = {}): Promise<{ server: SfuServer; dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-relay-'));
  const s = await startSfuServer({ host: '127.0.0.1', port: 0, mediaAddresses: [{ ip: '127.0.0.1' }], mediaPort: 0, workers: 1, dataDir, allowPlainRtp: true, ...extra });
  servers.push(s);
  return { server: s, dataDir };
}

async function seated(url: string, code: string, name: string, credential: string): Promise<TestClient> {
  const client = await TestClient.connect(url);
  clients.push(client);
  const joined = await client.join(code, name, { credential });
  expect(joined.ok).toBe(true);
  return client;
}

async function console_(args: string[]): Promise<{ code: number; said: string }> {
  let said = '';
  const code = await runConsoleCommand(['cascade', ...args], {}, (line) => (said += `${line}\n`));
  return { code, said };
}

describe('relaying a briefing', () => {
  it('is for the seats invited as servers, back to their own address, each stream once', async () => {
    const { server: central } = await server();
    const invites = await publishInvites(central, 'quoc-gia', ['Bộ Nội vụ'], { servers: ['Tỉnh Bình Nguyên'] });
    const ministry = await seated(central.url, 'quoc-gia', 'Bộ Nội vụ', invites.points['Bộ Nội vụ']);
    expect((await ministry.request('createPipeTransport', {})).error?.code).toBe('forbidden');

    const chair = await seated(central.url, 'quoc-gia', invites.chairSeat, invites.chair);
    const send = (await chair.request('createPlainTransport', { direction: 'send' })).data;
    const audio = (await chair.request('produce', { transportId: send.id, kind: 'audio', source: 'mic', rtpParameters: producerRtpParameters.audio })).data;

    const relay = await seated(central.url, 'quoc-gia', 'Tỉnh Bình Nguyên', invites.relays['Tỉnh Bình Nguyên']);
    expect(relay.lastJoin.role).toBe('relay');
    const pipe = (await relay.request('createPipeTransport', {})).data;
    expect(pipe.srtpParameters.keyBase64.length).toBeGreaterThan(16);
    expect((await relay.request('createPipeTransport', {})).error?.code).toBe('over_limit');
    // Aimed at a third party's address: the server would flood it. Refused with the reason.
    const elsewhere = await relay.request('connectPipeTransport', { transportId: pipe.id, ip: '192.0.2.7', port: 40000, srtpParameters: pipe.srtpParameters });
    expect(elsewhere.error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/only to the address the relay signals from/) });
    expect((await relay.request('connectPipeTransport', { transportId: pipe.id, ip: '127.0.0.1', port: 40000, srtpParameters: pipe.srtpParameters })).ok).toBe(true);

    const first = await relay.request('pipeConsume', { transportId: pipe.id, producerIds: [audio.producerId, 'made-up'] });
    expect(first.data.piped.map((p: { producerId: string }) => p.producerId)).toEqual([audio.producerId]);
    expect(first.data.refused).toEqual([{ producerId: 'made-up', message: expect.any(String) }]);
    const again = await relay.request('pipeConsume', { transportId: pipe.id, producerIds: [audio.producerId] });
    expect(again.data).toEqual({ piped: [], refused: [{ producerId: audio.producerId, message: expect.stringMatching(/already relayed/) }] });
    // A microphone sent up as a "camera" would slip past the floor rule: refused.
    const disguised = await relay.request('pipeProduce', { transportId: pipe.id, kind: 'audio', source: 'camera', rtpParameters: first.data.piped[0].rtpParameters });
    expect(disguised.error).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/a camera is sent as video/) });
    // A plain point's transport is not a pipe, and a point's code does not open a relay's seat.
    expect((await relay.request('pipeConsume', { transportId: send.id, producerIds: [audio.producerId] })).error?.code).toBe('not_found');
  });

  it('is set on the console from the relay invitation, refused when broken or doubled, dropped when removed', async () => {
    const { server: central } = await server();
    const invites = await publishInvites(central, 'quoc-gia', ['Bộ Nội vụ'], { servers: ['Tỉnh Bình Nguyên'] });
    await seated(central.url, 'quoc-gia', invites.chairSeat, invites.chair);
    const { server: province, dataDir } = await server();
    await publishInvites(province, 'tinh-bn', ['Xã Tân Lập']);
    const link = `giaoban://join?server=${encodeURIComponent(central.url)}&briefing=quoc-gia&invite=${invites.relays['Tỉnh Bình Nguyên']}`;

    expect(await console_(['link', 'tinh-bn', 'not an invitation', '--data-dir', dataDir])).toMatchObject({ code: 2, said: expect.stringMatching(/invitation link/) });
    expect(await console_(['link', 'tinh-bn', link.replace('quoc-gia', 'quoc-gia!'), '--data-dir', dataDir])).toMatchObject({ code: 1, said: expect.stringMatching(/not linked/) });
    expect((await console_(['link', 'tinh-bn', link, '--data-dir', dataDir])).code).toBe(0);
    expect(await console_(['link', 'tinh-bn', link, '--data-dir', dataDir])).toMatchObject({ code: 1, said: expect.stringMatching(/already relays/) });
    const relaySeat = async () => {
      const ministry = await seated(central.url, 'quoc-gia', 'Bộ Nội vụ', invites.points['Bộ Nội vụ']);
      const state = ministry.lastJoin.control.seats.find((s: { role: string }) => s.role === 'relay').state;
      ministry.close();
      await new Promise((r) => setTimeout(r, 300));
      return state;
    };
    await expect.poll(relaySeat, { timeout: 15_000 }).toBe('present');

    const listed = await console_(['list', '--data-dir', dataDir]);
    expect(listed.said).toMatch(/^1\ttinh-bn ← quoc-gia at ws:\/\/127\.0\.0\.1/);
    expect((await console_(['remove', '1', '--data-dir', dataDir])).code).toBe(0);
    await expect.poll(relaySeat, { timeout: 15_000 }).not.toBe('present');
  });

  it('trusts the upper server only by the CA fingerprint its invitation carries', async () => {
    const tlsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-relay-tls-'));
    const { server: central } = await server({ tlsDir });
    const published = await central.catalog.publish(briefingDraft({ code: 'quoc-gia', invitedPoints: ['Bộ Nội vụ'], invitedServers: ['Tỉnh Bình Nguyên'] }));
    const codes = await central.invitations.issueFor('quoc-gia', invitedSeats(published).map((s) => ({ seat: s.name, role: s.role })));
    const relayCode = codes.find((c) => c.role === 'relay')?.code ?? '';
    const { server: province } = await server();
    await publishInvites(province, 'tinh-bn', ['Xã Tân Lập']);
    const rightCa = central.tls?.caFingerprint ?? '';
    const wrongCa = rightCa.replace(/^../, rightCa.startsWith('00') ? '11' : '00');
    const linked = await province.cascade.add({ localBriefing: 'tinh-bn', upperUrl: central.url, upperBriefing: 'quoc-gia', inviteCode: relayCode, caFingerprint: wrongCa });
    const stateOf = () => province.cascade.states().get(linked.id);
    // A server in the middle, or the wrong server, is not relayed from: the link waits and says why.
    await expect.poll(() => stateOf(), { timeout: 15_000 }).toMatchObject({ state: 'waiting', problem: expect.stringMatching(/not the .* of the invitation: refused/) });
    await province.cascade.remove(linked.id);
    await expect.poll(() => stateOf(), { timeout: 15_000 }).toBeUndefined();
    const pinned = await province.cascade.add({ localBriefing: 'tinh-bn', upperUrl: central.url, upperBriefing: 'quoc-gia', inviteCode: relayCode, caFingerprint: rightCa });
    await expect.poll(() => province.cascade.states().get(pinned.id)?.state, { timeout: 15_000 }).toBe('linked');
  });

  it('follows an upper server that names more points than a briefing holds only up to what one holds, and says so', async () => {
    const { server: central } = await server();
    const invites = await publishInvites(central, 'quoc-gia', ['Bộ Nội vụ'], { servers: ['Tỉnh Bình Nguyên'] });
    await seated(central.url, 'quoc-gia', invites.chairSeat, invites.chair);
    // The upper server as the province sees it, through a server in the middle that, once the
    // relay is seated, names a thousand points that do not exist.
    const madeUp = 1000;
    const proxy = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    proxies.push(proxy);
    await once(proxy, 'listening');
    proxy.on('connection', (down) => {
      const up = new WebSocket(central.url);
      const early: string[] = [];
      up.on('open', () => early.splice(0).forEach((m) => up.send(m)));
      down.on('message', (m: Buffer) => (up.readyState === WebSocket.OPEN ? up.send(m.toString()) : early.push(m.toString())));
      up.on('message', (m: Buffer) => {
        down.send(m.toString());
        if (!/"status":"joined"/.test(m.toString())) return;
        for (let i = 0; i < madeUp; i++) {
          down.send(JSON.stringify({ notification: 'peerJoined', data: { peer: { id: `bia-${i}`, seatId: `ghe-bia-${i}`, displayName: `Điểm bịa ${i}`, producers: [] } } }));
        }
      });
      up.on('close', () => down.close());
      down.on('close', () => up.close());
    });
    const { port } = proxy.address() as { port: number };

    const warned = vi.spyOn(console, 'warn');
    const { server: province } = await server();
    const local = await publishInvites(province, 'tinh-bn', ['Xã Tân Lập']);
    await province.cascade.add({ localBriefing: 'tinh-bn', upperUrl: `ws://127.0.0.1:${port}`, upperBriefing: 'quoc-gia', inviteCode: invites.relays['Tỉnh Bình Nguyên'], caFingerprint: null });
    const overCap = () => warned.mock.calls.filter((c) => /names more than \d+ points/.test(String(c[0])));
    await expect.poll(() => overCap().length, { timeout: 15_000 }).toBe(1);
    // A commune of the province sees as many upper points as a briefing can hold, no more.
    const commune = await seated(province.url, 'tinh-bn', 'Xã Tân Lập', local.points['Xã Tân Lập']);
    expect(commune.lastJoin.peers.length).toBe(MAX_UPPER_POINTS);
    expect(overCap()).toHaveLength(1);
    warned.mockRestore();
  });
});

