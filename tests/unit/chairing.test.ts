// Chairing on a real SFU over its own signaling: who may do what, the lobby, invite codes,
// the floor, roll call, votes, seats held over a dropped link, and the caps.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeCode } from '../../sfu-server/src/access/Invitations';
import { type SfuServer, startSfuServer } from '../../sfu-server/src/SfuServer';
import { CHAIR_SEAT, httpBase, publishInvites } from '../support/invitations';
import { briefingDraft } from '../support/recordFixture';
import { OPUS_RTP_PARAMETERS, TestClient, clientPool } from '../support/sfuTestClient';

let server: SfuServer;
const { client, closeAll } = clientPool(() => server.url);
const POINTS = ['Xã Tân Lập', 'Xã Phú Sơn', 'Thị trấn Ba Tơ'];

/** A published briefing with the chair and the given points joined. */
async function briefing(code: string, joined = POINTS) {
  const invites = await publishInvites(server, code, POINTS);
  const chair = await client();
  expect((await chair.join(code, CHAIR_SEAT, { credential: invites.chair })).data.status).toBe('joined');
  const points: Record<string, TestClient> = {};
  for (const name of joined) {
    points[name] = await client();
    const reply = await points[name].join(code, name, { credential: invites.points[name] });
    expect(reply.data.status).toBe('joined');
  }
  return { invites, chair, points };
}

/** The newest control snapshot a client received. */
function control(c: TestClient) {
  return [...c.notifications].reverse().find((n) => n.notification === 'controlChanged')?.data;
}
async function controlSoon(c: TestClient, check: (state: any) => boolean) {
  const started = Date.now();
  while (!(control(c) && check(control(c)))) {
    if (Date.now() - started > 5000) throw new Error(`control state not reached: ${JSON.stringify(control(c))}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return control(c);
}
const seatOf = (state: any, name: string) => state.seats.find((s: { seat: string }) => s.seat === name);
/** The id the protocol calls a seat by, as this client's latest snapshot lists it (the UI does the same). */
const idOf = (c: TestClient, name: string): string => seatOf(control(c) ?? c.lastJoin.control, name).seatId;

async function sendMic(c: TestClient): Promise<string> {
  const transport = await c.request('createTransport', { direction: 'send' });
  const produced = await c.request('produce', { transportId: transport.data.id, kind: 'audio', source: 'mic', rtpParameters: OPUS_RTP_PARAMETERS });
  return produced.data.producerId;
}

beforeAll(async () => {
  server = await startSfuServer({
    host: '127.0.0.1',
    port: 0,
    mediaAddresses: [{ ip: '127.0.0.1' }],
    mediaPort: 0,
    workers: 1,
    seatHoldMs: 1500,
    // Every test point connects from 127.0.0.1; in the field each meeting point has its own address.
    maxConnectionsPerAddress: 1000,
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-sfu-')),
  });
});
afterAll(async () => {
  closeAll();
  await server.close();
});

describe('invite codes', () => {
  it('seat a point with its own code and refuse forged, revoked and other briefings’ codes, logging each', async () => {
    const a = await publishInvites(server, 'ma-moi-a', POINTS);
    const b = await publishInvites(server, 'ma-moi-b', POINTS);
    const c = await client();
    const forged = await c.join('ma-moi-a', 'Xã Tân Lập', { credential: 'ABCD-EFGH-JKMN-PQRS-TVWX' });
    expect(forged.error?.code).toBe('bad_credential');
    const other = await c.join('ma-moi-a', 'Xã Tân Lập', { credential: b.points['Xã Tân Lập'] });
    expect(other.error).toMatchObject({ code: 'bad_credential', message: expect.stringMatching(/another briefing/) });
    // Codes read out over the phone: case and dashes do not matter.
    const typed = a.points['Xã Phú Sơn'].toLowerCase().replace(/-/g, ' ');
    expect(normalizeCode(typed)).toBe(normalizeCode(a.points['Xã Phú Sơn']));
    const seated = await c.join('ma-moi-a', 'any name typed', { credential: typed });
    expect(seated.data).toMatchObject({ status: 'joined', seat: 'Xã Phú Sơn', role: 'point' });

    // A new version that no longer invites Thị trấn Ba Tơ withdraws its code; it needs the chair's code.
    const draft = briefingDraft({ code: 'ma-moi-a', hostUnit: CHAIR_SEAT, invitedPoints: POINTS.slice(0, 2), startsAt: new Date(Date.now() + 3600_000).toISOString() });
    const post = (token?: string) =>
      fetch(`${httpBase(server.url)}/catalog/briefings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(draft),
      });
    expect((await post()).status).toBe(401);
    expect((await post(a.points['Xã Tân Lập'])).status).toBe(403);
    expect((await post(a.chair)).status).toBe(201);
    const revoked = await (await client()).join('ma-moi-a', 'x', { credential: a.points['Thị trấn Ba Tơ'] });
    expect(revoked.error).toMatchObject({ code: 'bad_credential', message: expect.stringMatching(/withdrawn/) });

    // The chair (or the secretary) reads the log over HTTP; a point cannot.
    const read = (token: string) => fetch(`${httpBase(server.url)}/catalog/audit/ma-moi-a`, { headers: { authorization: `Bearer ${token}` } });
    expect((await read(a.points['Xã Tân Lập'])).status).toBe(403);
    const log = (await (await read(a.chair)).json()) as { action: string; detail: string | null }[];
    // Each refusal is logged: the guess as a counted credential refusal, the real codes used in
    // the wrong place (another briefing's, a withdrawn one) as join refusals, not counted.
    expect(log.filter((e) => e.action === 'credential_refused').map((e) => e.detail)).toEqual(['"Xã Tân Lập": credential unknown']);
    expect(log.filter((e) => e.action === 'join_refused').map((e) => e.detail)).toEqual(['credential other_briefing', 'credential revoked']);
    // The point's code tried to publish: refused and logged (the request with no key never got that far).
    expect(log.filter((e) => e.action === 'request_refused' && e.detail?.includes('chair code'))).toHaveLength(1);
    expect(log.filter((e) => e.action === 'published')).toHaveLength(2);
  });

  it('refuse a replayed code while its point is connected, without disturbing that point', async () => {
    const { invites, points } = await briefing('ma-moi-c', ['Xã Tân Lập']);
    const thief = await client();
    const replay = await thief.join('ma-moi-c', 'Xã Tân Lập', { credential: invites.points['Xã Tân Lập'] });
    expect(replay.error?.code).toBe('seat_taken');
    expect((await points['Xã Tân Lập'].request('createTransport', { direction: 'recv' })).ok).toBe(true);
    expect((await server.audit.forBriefing('ma-moi-c')).some((e) => e.action === 'join_refused' && e.detail === 'seat in use')).toBe(true);
  });

  it('do not start a briefing that was never published', async () => {
    const c = await client();
    expect((await c.request('getRouterRtpCapabilities', { briefingCode: 'chua-cong-bo' })).error?.code).toBe('not_found');
  });
});

describe('permissions by role', () => {
  it('a meeting point cannot mute others, open a vote, admit, lock, move the agenda or touch another point’s objects', async () => {
    const { chair, points } = await briefing('quyen-han');
    const commune = points['Xã Tân Lập'];
    const other = points['Xã Phú Sơn'];
    for (const [method, data] of [
      ['muteSeat', { seatId: idOf(commune, 'Xã Phú Sơn') }],
      ['muteAll', {}],
      ['openVote', { question: 'Q', options: ['Có', 'Không'] }],
      ['admit', { lobbyId: 'x' }],
      ['setLocked', { locked: true }],
      ['grantFloor', { seatId: idOf(commune, 'Xã Tân Lập') }],
      ['setAgendaItem', { index: 1 }],
      ['setPresenterPage', { sha256: 'a'.repeat(64), page: 1, zoom: 1 }],
      ['setRole', { seatId: idOf(commune, 'Xã Tân Lập'), role: 'presenter' }],
      ['startRollCall', {}],
    ] as const) {
      const reply = await commune.request(method, data);
      expect(reply.error?.code, method).toBe('forbidden');
    }
    // Another point's transport and producer are not found for this point.
    const theirs = await other.request('createTransport', { direction: 'send' });
    const producer = await other.request('produce', { transportId: theirs.data.id, kind: 'audio', source: 'mic', rtpParameters: OPUS_RTP_PARAMETERS });
    expect((await commune.request('connectTransport', { transportId: theirs.data.id, dtlsParameters: { fingerprints: [{ algorithm: 'sha-256', value: 'AA' }] } })).error?.code).toBe('not_found');
    expect((await commune.request('pauseProducer', { producerId: producer.data.producerId })).error?.code).toBe('not_found');
    expect((await commune.request('closeProducer', { producerId: producer.data.producerId })).error?.code).toBe('not_found');
    // Nor can it receive from a briefing it is not in.
    const elsewhere = await briefing('quyen-han-khac', ['Xã Tân Lập']);
    const foreign = await elsewhere.points['Xã Tân Lập'].request('createTransport', { direction: 'send' });
    const foreignMic = await elsewhere.points['Xã Tân Lập'].request('produce', { transportId: foreign.data.id, kind: 'audio', source: 'mic', rtpParameters: OPUS_RTP_PARAMETERS });
    const recv = await commune.request('createTransport', { direction: 'recv' });
    expect((await commune.request('consume', { transportId: recv.data.id, producerId: foreignMic.data.producerId })).error?.code).toBe('not_found');
    // Nothing else was disturbed: the producer still runs, the chair still chairs.
    expect((await other.request('pauseProducer', { producerId: producer.data.producerId })).ok).toBe(true);
    expect((await chair.request('setAgendaItem', { index: 1 })).ok).toBe(true);
    const refused = (await server.audit.forBriefing('quyen-han')).filter((e) => e.action === 'request_refused');
    expect(refused.map((e) => e.subject)).toEqual(expect.arrayContaining(['muteSeat', 'openVote', 'admit', 'connectTransport', 'pauseProducer', 'closeProducer']));

    // The chair makes a point the presenter: it may turn pages now, and the change is logged.
    expect((await chair.request('setRole', { seatId: idOf(chair, 'Xã Tân Lập'), role: 'presenter' })).ok).toBe(true);
    expect((await commune.request('setPresenterPage', { sha256: 'a'.repeat(64), page: 2, zoom: 1 })).ok).toBe(true);
    expect((await server.audit.forBriefing('quyen-han')).some((e) => e.action === 'role_changed' && e.subject === 'Xã Tân Lập')).toBe(true);
  });
});

describe('the lobby', () => {
  it('an unknown joiner waits until the chair admits or refuses it; a locked briefing refuses at once', async () => {
    const { chair } = await briefing('phong-cho', []);
    const guest = await client();
    const waiting = await guest.join('phong-cho', 'Xã lạ');
    expect(waiting.data.status).toBe('lobby');
    // Waiting gives nothing: no transports, no media.
    expect((await guest.request('createTransport', { direction: 'recv' })).error?.code).toBe('not_joined');
    const seen = await controlSoon(chair, (s) => s.lobby.length === 1);
    await chair.request('refuse', { lobbyId: seen.lobby[0].lobbyId });
    expect((await guest.waitFor('refused')).reason).toMatch(/did not admit/);

    const second = await client();
    await second.join('phong-cho', 'Xã Mới');
    const lobby = await controlSoon(chair, (s) => s.lobby.some((l: { displayName: string }) => l.displayName === 'Xã Mới'));
    const entry = lobby.lobby.find((l: { displayName: string }) => l.displayName === 'Xã Mới');
    expect((await chair.request('admit', { lobbyId: entry.lobbyId })).ok).toBe(true);
    await second.waitFor('admitted');
    const admitted = await second.join('phong-cho', 'Xã Mới');
    expect(admitted.data).toMatchObject({ status: 'joined', seat: 'Xã Mới', role: 'point' });
    expect(seatOf(admitted.data.control, 'Xã Mới')).toMatchObject({ invited: false, state: 'present' });

    await chair.request('setLocked', { locked: true });
    const late = await client();
    expect((await late.join('phong-cho', 'Xã Muộn')).error?.code).toBe('forbidden');
    const log = (await server.audit.forBriefing('phong-cho')).map((e) => `${e.action} ${e.subject ?? ''}`.trim());
    expect(log).toEqual(expect.arrayContaining(['refused Xã lạ', 'admitted Xã Mới', 'locked']));
  });
});

describe('the floor', () => {
  it('a point asks, the chair grants: it is unmuted and on stage; in briefing mode the others cannot open their microphones', async () => {
    const { chair, points } = await briefing('phat-bieu');
    const speaker = points['Xã Phú Sơn'];
    const other = points['Thị trấn Ba Tơ'];
    await chair.request('setFloorMode', { mode: 'briefing' });
    await chair.request('setAgendaItem', { index: 1 });
    const speakerMic = await sendMic(speaker);
    const otherMic = await sendMic(other);
    // Opened without the floor in briefing mode: paused on the server, and the point is told.
    expect((await other.waitFor('producerPaused', (d) => d.producerId === otherMic)).paused).toBe(true);
    expect((await other.request('resumeProducer', { producerId: otherMic })).error?.code).toBe('forbidden');

    await other.request('requestFloor');
    await speaker.request('requestFloor');
    await speaker.request('requestFloor'); // a second press keeps one place
    let state = await controlSoon(chair, (s) => s.floor.queue.length === 2);
    expect(state.floor.queue.map((q: { seat: string }) => q.seat)).toEqual(['Thị trấn Ba Tơ', 'Xã Phú Sơn']);

    await chair.request('grantFloor', { seatId: idOf(chair, 'Xã Phú Sơn') });
    state = await controlSoon(other, (s) => s.floor.speaker?.seat === 'Xã Phú Sơn');
    expect(state.floor.speaker.agendaIndex).toBe(1);
    expect(state.floor.queue.map((q: { seat: string }) => q.seat)).toEqual(['Thị trấn Ba Tơ']);
    expect((await other.waitFor('producerPaused', (d) => d.producerId === speakerMic && d.paused === false)).paused).toBe(false);

    await chair.request('revokeFloor');
    await other.waitFor('producerPaused', (d) => d.producerId === speakerMic && d.paused === true);
    state = await controlSoon(chair, (s) => s.turns.length === 1);
    expect(state.turns[0]).toMatchObject({ seat: 'Xã Phú Sơn', agendaIndex: 1, endedAt: expect.any(String) });

    // Mute all: everyone but the chair, in discussion mode too.
    await chair.request('setFloorMode', { mode: 'discussion' });
    expect((await other.request('resumeProducer', { producerId: otherMic })).ok).toBe(true);
    await chair.request('muteAll');
    await speaker.waitFor('producerPaused', (d) => d.producerId === otherMic && d.paused === true && true);
    const log = await server.audit.forBriefing('phat-bieu');
    expect(log.filter((e) => e.action.startsWith('floor_')).map((e) => e.action)).toEqual(['floor_granted', 'floor_revoked']);
  });
});

describe('roll call, attendees and votes', () => {
  it('each point answers the roll call once with its list of officials; a vote of three answers is counted right', async () => {
    const { chair, points } = await briefing('diem-danh');
    await chair.request('startRollCall');
    await points['Xã Tân Lập'].request('answerRollCall');
    await points['Xã Tân Lập'].request('setAttendees', { attendees: [{ name: 'Lê Văn Bình', position: 'Chủ tịch', unit: 'UBND xã Tân Lập' }] });
    await points['Xã Phú Sơn'].request('answerRollCall');
    let state = await controlSoon(chair, (s) => s.seats.filter((x: { rollCallAnsweredAt: string | null }) => x.rollCallAnsweredAt).length === 2);
    expect(seatOf(state, 'Xã Tân Lập').attendees).toEqual([{ name: 'Lê Văn Bình', position: 'Chủ tịch', unit: 'UBND xã Tân Lập' }]);
    expect(seatOf(state, 'Thị trấn Ba Tơ').rollCallAnsweredAt).toBeNull();
    await chair.request('endRollCall');
    expect((await points['Thị trấn Ba Tơ'].request('answerRollCall')).error?.code).toBe('bad_request');

    const opened = await chair.request('openVote', { question: 'Thông qua kế hoạch?', options: ['Đồng ý', 'Không đồng ý', 'Ý kiến khác'] });
    const voteId = opened.data.voteId;
    await points['Xã Tân Lập'].request('castVote', { voteId, option: 0 });
    await points['Xã Phú Sơn'].request('castVote', { voteId, option: 0 });
    await points['Thị trấn Ba Tơ'].request('castVote', { voteId, option: 2 });
    expect((await points['Xã Tân Lập'].request('castVote', { voteId, option: 1 })).error?.code).toBe('bad_request');
    state = await controlSoon(chair, (s) => s.vote?.voted.length === 3);
    expect(state.vote.counts).toBeNull(); // not shown while open
    await chair.request('closeVote', { voteId });
    state = await controlSoon(points['Xã Tân Lập'], (s) => s.vote?.closedAt);
    expect(state.vote.counts).toEqual([2, 0, 1]);
    expect(state.votes).toHaveLength(1);
  });

  it('an absent point is recorded with its reason; a present one cannot be', async () => {
    const { chair } = await briefing('vang-mat', ['Xã Tân Lập']);
    expect((await chair.request('markAbsent', { seatId: idOf(chair, 'Xã Tân Lập'), reason: 'x' })).error?.code).toBe('bad_request');
    await chair.request('markAbsent', { seatId: idOf(chair, 'Xã Phú Sơn'), reason: 'Mất điện' });
    const state = await controlSoon(chair, (s) => seatOf(s, 'Xã Phú Sơn').state === 'absent');
    expect(seatOf(state, 'Xã Phú Sơn').absentReason).toBe('Mất điện');
    expect(seatOf(state, 'Thị trấn Ba Tơ').state).toBe('not_joined');
  });
});

describe('links that drop', () => {
  it('a dropped point keeps its seat, its place in the queue and its role when it comes back with its secret', async () => {
    const { chair, points } = await briefing('mat-ket-noi');
    const commune = points['Xã Tân Lập'];
    await points['Xã Phú Sơn'].request('requestFloor');
    await commune.request('requestFloor');
    const secret: string = commune.lastJoin.seatSecret;
    commune.socket.terminate(); // the link dies: no leave
    let state = await controlSoon(chair, (s) => seatOf(s, 'Xã Tân Lập').state === 'reconnecting');
    expect(state.floor.queue.map((q: { seat: string }) => q.seat)).toEqual(['Xã Phú Sơn', 'Xã Tân Lập']);

    const back = await client();
    const rejoined = await back.join('mat-ket-noi', 'Xã Tân Lập', { resume: secret });
    expect(rejoined.data).toMatchObject({ status: 'joined', seat: 'Xã Tân Lập', role: 'point' });
    state = await controlSoon(chair, (s) => seatOf(s, 'Xã Tân Lập').state === 'present');
    expect(state.floor.queue.map((q: { seat: string }) => q.seat)).toEqual(['Xã Phú Sơn', 'Xã Tân Lập']);
    // The old secret is spent: it cannot be replayed.
    expect((await (await client()).join('mat-ket-noi', 'Xã Tân Lập', { resume: secret })).data.status).toBe('lobby');

    // A seat not taken back in time is left, and loses its place.
    back.socket.terminate();
    state = await controlSoon(chair, (s) => seatOf(s, 'Xã Tân Lập').state === 'left');
    expect(state.floor.queue.map((q: { seat: string }) => q.seat)).toEqual(['Xã Phú Sơn']);
  });

  it('the same point over a new link takes its seat over from a connection the server still thinks alive', async () => {
    const { chair, points } = await briefing('tiep-quan', ['Xã Tân Lập']);
    const old = points['Xã Tân Lập'];
    const secret: string = old.lastJoin.seatSecret;
    const fresh = await client();
    expect((await fresh.join('tiep-quan', 'Xã Tân Lập', { resume: secret })).data.status).toBe('joined');
    await old.waitFor('seatTakenOver');
    const state = await controlSoon(chair, (s) => seatOf(s, 'Xã Tân Lập').state === 'present' && seatOf(s, 'Xã Tân Lập').peerId !== null);
    expect(state.seats.filter((s: { state: string }) => s.state === 'present')).toHaveLength(2);
  });
});

describe('caps', () => {
  it('refuses a meeting point or a briefing over the server’s caps with the reason; those in go on', async () => {
    const small = await startSfuServer({
      host: '127.0.0.1', port: 0, mediaAddresses: [{ ip: '127.0.0.1' }], mediaPort: 0, workers: 1,
      maxPoints: 3, maxBriefings: 1, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-sfu-')),
    });
    try {
      const invites = await publishInvites(small, 'gioi-han', POINTS);
      const chair = await TestClient.connect(small.url);
      const seated = [chair];
      expect((await chair.join('gioi-han', CHAIR_SEAT, { credential: invites.chair })).ok).toBe(true);
      for (const name of POINTS.slice(0, 2)) {
        const c = await TestClient.connect(small.url);
        seated.push(c);
        expect((await c.join('gioi-han', name, { credential: invites.points[name] })).ok).toBe(true);
      }
      const over = await TestClient.connect(small.url);
      seated.push(over);
      expect((await over.join('gioi-han', POINTS[2], { credential: invites.points[POINTS[2]] })).error).toMatchObject({
        code: 'capacity',
        message: expect.stringMatching(/at most 3 meeting points/),
      });
      // A second briefing's media room would be one over the cap: its chair is told so when it
      // joins (asking for capabilities opens no room, see limits.test.ts).
      const second = await publishInvites(small, 'gioi-han-2', POINTS);
      expect((await seated[2].request('leave', {})).ok).toBe(true);
      expect((await over.request('getRouterRtpCapabilities', { briefingCode: 'gioi-han-2' })).ok).toBe(true);
      expect((await over.join('gioi-han-2', CHAIR_SEAT, { credential: second.chair })).error).toMatchObject({
        code: 'capacity',
        message: expect.stringMatching(/at most 1 briefings/),
      });
      expect((await chair.request('setAgendaItem', { index: 0 })).ok).toBe(true);
      seated.forEach((c) => c.close());
    } finally {
      await small.close();
    }
  });
});
