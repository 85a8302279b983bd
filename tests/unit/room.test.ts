import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// Briefing bookkeeping on a real SFU (mediasoup worker built by this project), driven over
// its own signaling.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SfuServer, startSfuServer } from '../../sfu-server/src/SfuServer';
import { type Invites, publishInvites } from '../support/invitations';
import { OPUS_RTP_PARAMETERS, clientPool } from '../support/sfuTestClient';

let server: SfuServer;
const { client, closeAll } = clientPool(() => server.url);
const until = async (check: () => boolean, timeoutMs = 5000) => {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

const invites = new Map<string, Promise<Invites>>();
/** The invite code of `name` in briefing `code`, published on first use. */
async function access(code: string, name: string): Promise<{ credential?: string }> {
  if (!invites.has(code)) invites.set(code, publishInvites(server, code, ['UBND huyện', 'Xã Tân Lập', 'A', 'B', 'C', 'Sender', 'Receiver']));
  return { credential: (await invites.get(code)!).points[name] };
}

beforeAll(async () => {
  // Empty rooms close after 100 ms here (minutes in the field), so the test sees them go.
  server = await startSfuServer({ host: '127.0.0.1', port: 0, mediaAddresses: [{ ip: '127.0.0.1' }], mediaPort: 0, workers: 1, emptyRoomMs: 100, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-sfu-')) });
});
afterAll(async () => {
  closeAll();
  await server.close();
});

describe('briefing rooms', () => {
  it('tells who is already there, announces arrivals and departures, and closes an empty briefing', async () => {
    const district = await client();
    const commune = await client();
    const first = await district.join('room-a', 'UBND huyện', await access('room-a', 'UBND huyện'));
    expect(first.ok).toBe(true);
    expect(first.data.peers).toEqual([]);
    const second = await commune.join('room-a', 'Xã Tân Lập', await access('room-a', 'Xã Tân Lập'));
    expect(second.data.peers.map((p: { displayName: string }) => p.displayName)).toEqual(['UBND huyện']);
    expect((await district.waitFor('peerJoined')).peer.displayName).toBe('Xã Tân Lập');
    expect(server.roomCount()).toBe(1);

    commune.close(); // the app is closed: no leave request
    expect((await district.waitFor('peerLeft')).peerId).toBe(second.data.peerId);
    expect((await district.request('leave')).ok).toBe(true);
    await until(() => server.roomCount() === 0);
  });

  it('keeps briefings with different codes apart', async () => {
    const a = await client();
    const b = await client();
    await a.join('room-b1', 'A', await access('room-b1', 'A'));
    expect((await b.join('room-b2', 'B', await access('room-b2', 'B'))).data.peers).toEqual([]);
    expect(server.roomCount()).toBe(2);
    await a.request('leave');
    await b.request('leave');
  });

  it('refuses media requests before joining and a second join', async () => {
    const c = await client();
    expect((await c.request('createTransport', { direction: 'send' })).error?.code).toBe('not_joined');
    await c.join('room-c', 'C', await access('room-c', 'C'));
    expect((await c.join('room-c', 'C again', await access('room-c', 'C again'))).error?.code).toBe('already_joined');
    await c.request('leave');
  });

  it('forwards what one meeting point sends to the others and tidies up when it stops', async () => {
    const sender = await client();
    const receiver = await client();
    await sender.join('room-d', 'Sender', await access('room-d', 'Sender'));
    await receiver.join('room-d', 'Receiver', await access('room-d', 'Receiver'));
    const sendTransport = await sender.request('createTransport', { direction: 'send' });
    const recvTransport = await receiver.request('createTransport', { direction: 'recv' });
    expect(sendTransport.data.iceCandidates[0].ip ?? sendTransport.data.iceCandidates[0].address).toBe('127.0.0.1');

    // Producing on a receive transport is refused.
    const wrong = await receiver.request('produce', { transportId: recvTransport.data.id, kind: 'audio', source: 'mic', rtpParameters: OPUS_RTP_PARAMETERS });
    expect(wrong.error?.code).toBe('bad_request');

    const produced = await sender.request('produce', { transportId: sendTransport.data.id, kind: 'audio', source: 'mic', rtpParameters: OPUS_RTP_PARAMETERS });
    expect(produced.ok).toBe(true);
    const added = await receiver.waitFor('producerAdded');
    expect(added.producer).toMatchObject({ id: produced.data.producerId, kind: 'audio', source: 'mic', paused: false });

    const consumed = await receiver.request('consume', { transportId: recvTransport.data.id, producerId: produced.data.producerId });
    expect(consumed.data).toMatchObject({ kind: 'audio', source: 'mic', peerId: expect.any(String) });
    // A meeting point cannot consume its own stream, nor a producer that does not exist.
    expect((await sender.request('consume', { transportId: sendTransport.data.id, producerId: produced.data.producerId })).ok).toBe(false);
    expect((await receiver.request('consume', { transportId: recvTransport.data.id, producerId: 'nope' })).error?.code).toBe('not_found');

    await sender.request('pauseProducer', { producerId: produced.data.producerId });
    expect((await receiver.waitFor('producerPaused')).paused).toBe(true);

    await sender.request('closeProducer', { producerId: produced.data.producerId });
    expect((await receiver.waitFor('consumerClosed')).consumerId).toBe(consumed.data.consumerId);
    expect((await receiver.request('resumeConsumer', { consumerId: consumed.data.consumerId })).error?.code).toBe('not_found');
    await sender.request('leave');
    await receiver.request('leave');
  });

  it('survives any frame: garbage gets an error and the connection still works', async () => {
    const c = await client();
    const frames: (string | Buffer)[] = [
      '', 'null', '[]', '42', '"join"', '{"id":-1,"method":"join"}', '{"id":1}', '{"id":2,"method":"join","data":null}',
      '{"id":3,"method":"__proto__","data":{}}', '{"id":4,"method":"constructor"}', '{"id":5,"method":"join","data":{"briefingCode":{"$gt":""}}}',
      Buffer.from([0, 1, 2, 255]), 'x'.repeat(70_000),
    ];
    for (const frame of frames) c.socket.send(frame);
    // One error reply per bad frame, in order, and nothing else.
    await until(() => c.unsolicited.length === frames.length);
    expect(c.unsolicited.map((r) => r.error?.code)).toEqual([
      'bad_json', 'bad_request', 'bad_request', 'bad_request', 'bad_request', 'bad_request', 'bad_request', 'bad_request',
      'unknown_method', 'unknown_method', 'bad_request', 'bad_request', 'too_large',
    ]);
    await access('room-e', 'A');
    const reply = await c.request('getRouterRtpCapabilities', { briefingCode: 'room-e' });
    expect(reply.ok).toBe(true);
  });

  it('replaces a mediasoup worker that dies; meeting points are told to rejoin and can', async () => {
    const a = await client();
    const b = await client();
    await a.join('room-f', 'A', await access('room-f', 'A'));
    await b.join('room-f', 'B', await access('room-f', 'B'));
    const [deadPid] = server.pool.workerPids();
    process.kill(deadPid, 'SIGKILL');
    expect((await a.waitFor('briefingRestarted')).reason).toMatch(/worker/);
    await b.waitFor('briefingRestarted');
    await until(() => server.pool.workerPids()[0] !== deadPid && server.pool.pick() !== undefined, 10_000);
    expect((await a.join('room-f', 'A', await access('room-f', 'A'))).ok).toBe(true);
    expect((await b.join('room-f', 'B', await access('room-f', 'B'))).data.peers.map((p: { displayName: string }) => p.displayName)).toEqual(['A']);
  });

  it('a worker restart keeps where the briefing stands: the agenda item and the presenter’s page', async () => {
    const chairInvites = await publishInvites(server, 'room-g', ['Xã Tân Lập'], { chairSeat: 'UBND huyện' });
    const chair = await client();
    const commune = await client();
    await chair.join('room-g', 'UBND huyện', { credential: chairInvites.chair });
    await commune.join('room-g', 'Xã Tân Lập', { credential: chairInvites.points['Xã Tân Lập'] });
    expect((await chair.request('setAgendaItem', { index: 2 })).ok).toBe(true);
    const page = { sha256: 'a'.repeat(64), page: 7, zoom: 1 };
    expect((await chair.request('setPresenterPage', page)).ok).toBe(true);
    await commune.waitFor('presenterPageChanged');

    const [deadPid] = server.pool.workerPids();
    process.kill(deadPid, 'SIGKILL');
    await chair.waitFor('briefingRestarted');
    await until(() => server.pool.workerPids()[0] !== deadPid && server.pool.pick() !== undefined, 10_000);
    // Back in a new media room: both land on item 3 and page 7, the presenter named by its new connection.
    const chairBack = await chair.join('room-g', 'UBND huyện', { credential: chairInvites.chair });
    const communeBack = await commune.join('room-g', 'Xã Tân Lập', { credential: chairInvites.points['Xã Tân Lập'] });
    expect(communeBack.data.agenda).toMatchObject({ index: 2 });
    expect(communeBack.data.presenterPage).toMatchObject({ ...page, presenterPeerId: chairBack.data.peerId });
    expect(chairBack.data.agenda.startedAt).toBe(communeBack.data.agenda.startedAt);
  });
});
