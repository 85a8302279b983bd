// The server's briefing catalog over HTTP: documents content-addressed and checked, briefings
// versioned, downloads resumable; meeting points in the briefing hear about a new version.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../../main/services/documents/makePdf';
import type { BriefingDraft } from '../../sfu-server/protocol/briefing';
import { type SfuServer, startSfuServer } from '../../sfu-server/src/SfuServer';
import { CHAIR_SEAT, organizerKeyOf, publishInvites } from '../support/invitations';
import { briefingDraft } from '../support/recordFixture';
import { TestClient } from '../support/sfuTestClient';

let server: SfuServer;
let base: string;
let dataDir: string;
/** The host unit's organizer key, as the operator's console printed it. */
let organizer: string;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-catalog-'));
  // The server's day is the Friday before the briefings below, whatever today is.
  const now = () => new Date('2026-11-27T09:00:00+07:00');
  server = await startSfuServer({ host: '127.0.0.1', port: 0, mediaAddresses: [{ ip: '127.0.0.1' }], mediaPort: 0, workers: 1, dataDir }, { now });
  base = server.url.replace('ws://', 'http://');
  organizer = (await server.organizers.add('UBND huyện Đồng Tâm')).key;
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const upload = (bytes: Buffer, hash = sha(bytes), type = 'application/pdf', key = organizer) =>
  fetch(`${base}/catalog/documents/${hash}`, {
    method: 'PUT',
    headers: { 'content-type': type, 'x-document-name': encodeURIComponent('Báo cáo.pdf'), authorization: `Bearer ${key}` },
    body: new Uint8Array(bytes),
  });
const get = (pathname: string, key?: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${pathname}`, { headers: { ...headers, ...(key ? { authorization: `Bearer ${key}` } : {}) } });

function draft(docs: { sha256: string; size: number }[], overrides: Partial<BriefingDraft> = {}): BriefingDraft {
  return {
    code: 'giaoban-t2',
    title: 'Giao ban tuần 48',
    hostUnit: 'UBND huyện Đồng Tâm',
    chair: 'Chủ tịch UBND huyện',
    secretary: 'Chánh Văn phòng',
    startsAt: '2026-11-30T07:30:00+07:00',
    expectedMinutes: 90,
    place: 'Phòng họp trực tuyến huyện',
    regular: true,
    invitedPoints: ['Xã Tân Lập', 'Xã Hòa Bình'],
    agenda: [{ title: 'Kết quả tuần', presenter: 'Văn phòng', plannedMinutes: 20, documents: docs.map((d) => ({ ...d, name: 'Báo cáo.pdf', mimeType: 'application/pdf' as const })) }],
    ...overrides,
  };
}
const publish = (body: unknown, key: string | null = organizer, type = 'application/json') =>
  fetch(`${base}/catalog/briefings`, {
    method: 'POST',
    headers: { 'content-type': type, ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('briefing catalog', () => {
  it('stores a PDF under its SHA-256 and refuses empty, mislabelled, corrupt-hash and oversized uploads', async () => {
    const pdf = await makePdf([{ heading: 'Báo cáo', paragraphs: ['Kế hoạch chuyển đổi số'] }]);
    expect((await upload(pdf)).status).toBe(201);
    expect((await upload(Buffer.alloc(0), sha(Buffer.alloc(0)))).status).toBe(400);
    const notPdf = Buffer.from('just text renamed to .pdf');
    expect((await upload(notPdf)).status).toBe(415);
    expect((await upload(pdf, sha(Buffer.from('other')))).status).toBe(400);
    expect((await upload(pdf, sha(pdf), 'image/png')).status).toBe(415);
    // A 200 MB upload is refused from its declared length, before the bytes are read.
    const hugeStatus = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${base}/catalog/documents/${'a'.repeat(64)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/pdf', 'content-length': 200 * 1024 * 1024, authorization: `Bearer ${organizer}` },
      }, (res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.write(Buffer.alloc(1024));
    });
    expect(hugeStatus).toBe(413);
    // The good file is intact after the failures.
    const back = Buffer.from(await (await get(`/catalog/documents/${sha(pdf)}`, organizer)).arrayBuffer());
    expect(sha(back)).toBe(sha(pdf));
  });

  it('resumes a download from where it was cut', async () => {
    const pdf = await makePdf(Array.from({ length: 5 }, (_, i) => ({ heading: `Trang ${i + 1}`, paragraphs: ['Nội dung'] })));
    await upload(pdf);
    const tail = await get(`/catalog/documents/${sha(pdf)}`, organizer, { range: 'bytes=100-' });
    expect(tail.status).toBe(206);
    const rest = Buffer.from(await tail.arrayBuffer());
    expect(sha(Buffer.concat([pdf.subarray(0, 100), rest]))).toBe(sha(pdf));
    expect((await get(`/catalog/documents/${sha(pdf)}`, organizer, { range: `bytes=${pdf.length}-` })).status).toBe(416);
  });

  it('publishes only briefings whose documents are all uploaded, and refuses one without agenda', async () => {
    const missing = await publish(draft([{ sha256: 'b'.repeat(64), size: 10 }]));
    expect(missing.status).toBe(409);
    expect((await missing.json()).error.details).toEqual(['Báo cáo.pdf']);
    const noAgenda = await publish({ ...draft([]), agenda: [] });
    expect(noAgenda.status).toBe(400);
    expect((await noAgenda.json()).error.message).toContain('at least one agenda item');
    expect((await publish('{')).status).toBe(400);
  });

  it('versions every publish, says what changed, and tells the meeting points in the briefing', async () => {
    const pdf = await makePdf([{ heading: 'Tờ trình', paragraphs: ['Dự thảo'] }]);
    await upload(pdf);
    const first = await (await publish(draft([{ sha256: sha(pdf), size: pdf.length }], { code: 'giaoban-v' }))).json();
    expect(first.version).toBe(1);
    const codeOf = (role: string, seat?: string) => first.credentials.find((c: { role: string; seat: string }) => c.role === role && (!seat || c.seat === seat)).code;

    const point = await TestClient.connect(server.url);
    await point.join('giaoban-v', 'Xã Tân Lập', { credential: codeOf('point', 'Xã Tân Lập') });
    // A new version needs the chair's code (or the organizer's key); a point's code is refused.
    const next = draft([{ sha256: sha(pdf), size: pdf.length }], { code: 'giaoban-v', place: 'Hội trường UBND huyện' });
    expect((await publish(next, codeOf('point', 'Xã Tân Lập'))).status).toBe(403);
    const asChair = await fetch(`${base}/catalog/briefings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${codeOf('chair')}` },
      body: JSON.stringify(next),
    });
    const second = await asChair.json();
    expect(second.version).toBe(2);
    expect(second.changes).toEqual([{ field: 'place', before: 'Phòng họp trực tuyến huyện', after: 'Hội trường UBND huyện' }]);
    const notice = await point.waitFor('briefingUpdated');
    expect(notice).toMatchObject({ code: 'giaoban-v', version: 2 });
    point.close();

    // A point lists what its own code opens, and learns which seat that is.
    const forPoint = await (await get('/catalog/briefings', codeOf('point', 'Xã Hòa Bình'))).json();
    expect(forPoint.caller).toEqual({ kind: 'seat', briefingCode: 'giaoban-v', seat: 'Xã Hòa Bình', role: 'point' });
    expect(forPoint.briefings.map((b: { code: string; version: number }) => [b.code, b.version])).toEqual([['giaoban-v', 2]]);
    // The organizer lists its own briefings.
    const own = await (await get('/catalog/briefings', organizer)).json();
    expect(own.caller).toEqual({ kind: 'organizer', organizer: 'UBND huyện Đồng Tâm' });
    expect(own.briefings.map((b: { code: string }) => b.code)).toContain('giaoban-v');
  });

  it('keeps the agenda position and the presenter page for late joiners', async () => {
    const invites = await publishInvites(server, 'giaoban-trang', ['Xã Tân Lập']);
    const chair = await TestClient.connect(server.url);
    await chair.join('giaoban-trang', invites.chairSeat, { credential: invites.chair });
    await chair.request('setAgendaItem', { index: 1 });
    await chair.request('setPresenterPage', { sha256: 'c'.repeat(64), page: 5, zoom: 1.25 });
    const late = await TestClient.connect(server.url);
    const joined = await late.join('giaoban-trang', 'Xã Tân Lập', { credential: invites.points['Xã Tân Lập'] });
    expect(joined.data.agenda.index).toBe(1);
    expect(joined.data.presenterPage).toMatchObject({ page: 5, zoom: 1.25 });
    await chair.request('setPresenterPage', { sha256: 'c'.repeat(64), page: 6, zoom: 1.25 });
    expect((await late.waitFor('presenterPageChanged')).page).toBe(6);
    chair.close();
    late.close();
  });
});

describe('an outsider, a second organizer and a seat of another briefing', () => {
  let mine: { code: string; credentials: { role: string; seat: string; code: string }[] };
  let pdf: Buffer;
  const seatCode = (seat: string) => mine.credentials.find((c) => c.seat === seat)!.code;

  beforeAll(async () => {
    pdf = await makePdf([{ heading: 'Báo cáo mật', paragraphs: ['Số liệu nội bộ'] }]);
    expect((await upload(pdf)).status).toBe(201);
    mine = await (await publish(draft([{ sha256: sha(pdf), size: pdf.length }], { code: 'giaoban-rieng', invitedPoints: ['Xã Tân Lập'] }))).json();
  });

  it('with no key at all: nothing is published, uploaded, listed or read, and each refusal says why', async () => {
    const anonymous = await publish(draft([]), null);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.message).toContain('Authorization');
    expect((await upload(pdf, sha(pdf), 'application/pdf', '')).status).toBe(401);
    for (const pathname of ['/catalog/briefings', '/catalog/briefings/giaoban-rieng', `/catalog/documents/${sha(pdf)}`, '/catalog/records', '/catalog/audit/giaoban-rieng']) {
      const response = await get(pathname);
      expect({ pathname, status: response.status }).toEqual({ pathname, status: 401 });
    }
    // The old anonymous listing by name is gone too.
    expect((await get(`/catalog/briefings?point=${encodeURIComponent('Xã Tân Lập')}`)).status).toBe(401);
    expect((await get('/catalog/briefings', 'ABCD-EFGH-JKMN-PQRS-TVWX')).status).toBe(401);
  });

  it('a web page cannot post a form to it: JSON routes take application/json only', async () => {
    const form = await publish('code=x', organizer, 'application/x-www-form-urlencoded');
    expect(form.status).toBe(415);
  });

  it('a second organizer sees and changes none of the first one’s briefings or documents', async () => {
    const other = (await server.organizers.add('Sở Nội vụ')).key;
    const listed = await (await get('/catalog/briefings', other)).json();
    expect(listed.briefings).toEqual([]);
    expect((await get('/catalog/briefings/giaoban-rieng', other)).status).toBe(403);
    expect((await get(`/catalog/documents/${sha(pdf)}`, other)).status).toBe(403);
    const takeover = await publish(draft([], { code: 'giaoban-rieng', agenda: [{ title: 'Chiếm', presenter: 'x', plannedMinutes: 5, documents: [] }] }), other);
    expect(takeover.status).toBe(403);
    expect((await takeover.json()).error.message).toContain('another organizer');
    // The refused attempt is in the briefing's audit log, for its chair to see.
    const log = await (await get('/catalog/audit/giaoban-rieng', seatCode('UBND huyện Đồng Tâm'))).json();
    expect(log.some((e: { action: string; actor: string }) => e.action === 'request_refused' && e.actor.includes('Sở Nội vụ'))).toBe(true);
  });

  it('a seat of another briefing reads nothing of this one, and a point posts no record', async () => {
    const stranger = await publishInvites(server, 'giaoban-khac', ['Xã Lạ']);
    const strangerCode = stranger.points['Xã Lạ'];
    expect((await get('/catalog/briefings/giaoban-rieng', strangerCode)).status).toBe(403);
    expect((await get(`/catalog/documents/${sha(pdf)}`, strangerCode)).status).toBe(403);
    expect((await get('/catalog/audit/giaoban-rieng', strangerCode)).status).toBe(403);
    // Its own point reads the document of its briefing.
    const own = await get(`/catalog/documents/${sha(pdf)}`, seatCode('Xã Tân Lập'));
    expect(own.status).toBe(200);
    expect(sha(Buffer.from(await own.arrayBuffer()))).toBe(sha(pdf));
    // A point cannot issue records, and even the chair cannot address seats that never attended.
    const notice = { briefingCode: 'giaoban-rieng', kind: 'minutes', document: { sha256: sha(pdf), name: 'bb.pdf', mimeType: 'application/pdf', size: pdf.length }, recipients: ['Xã Tân Lập'] };
    const post = (key: string) => fetch(`${base}/catalog/records`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(notice) });
    expect((await post(seatCode('Xã Tân Lập'))).status).toBe(403);
    const unattended = await post(seatCode('UBND huyện Đồng Tâm'));
    expect(unattended.status).toBe(422);
    expect((await unattended.json()).error).toMatchObject({ code: 'not_attended', details: ['Xã Tân Lập'] });
  });

  it('a revoked organizer key stops working at once', async () => {
    const temporary = await server.organizers.add('Phòng tạm');
    expect((await get('/catalog/briefings', temporary.key)).status).toBe(200);
    await server.organizers.revoke(temporary.id);
    expect((await get('/catalog/briefings', temporary.key)).status).toBe(401);
  });
});

describe('someone guessing invite codes', () => {
  it('is slowed down after a few wrong codes, over HTTP and WebSocket alike, and fills no audit log', async () => {
    const guarded = await startSfuServer({
      host: '127.0.0.1', port: 0, mediaAddresses: [{ ip: '127.0.0.1' }], mediaPort: 0, workers: 1, credentialFreeFailures: 3,
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-guess-')),
    });
    try {
      const invites = await publishInvites(guarded, 'giaoban-doan', ['Xã Tân Lập']);
      const httpBase = guarded.url.replace('ws://', 'http://');
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) {
        statuses.push((await fetch(`${httpBase}/catalog/briefings`, { headers: { authorization: `Bearer GUESS-${i}-AAAA-BBBB` } })).status);
      }
      expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(20);
      const limited = await fetch(`${httpBase}/catalog/briefings`, { headers: { authorization: `Bearer ${invites.points['Xã Tân Lập']}` } });
      expect(limited.status).toBe(429);
      expect((await limited.json()).error.message).toMatch(/try again in \d+ s/);

      // The same address over WebSocket waits too, with the reason.
      const guesser = await TestClient.connect(guarded.url);
      const answer = await guesser.join('giaoban-doan', 'Xã Tân Lập', { credential: 'WXYZ-WXYZ-WXYZ-WXYZ-WXYZ' });
      expect(answer.error?.code).toBe('rate_limited');
      guesser.close();

      // Thirty guesses left a handful of audit rows, not thirty.
      const rows = await guarded.audit.forBriefing('giaoban-doan');
      const all = await guarded.catalog.db.all<{ n: number }>("SELECT COUNT(*) AS n FROM audit_event WHERE action IN ('credential_refused', 'credential_backoff')");
      expect(all[0].n).toBeLessThanOrEqual(6);
      expect(rows.length).toBeGreaterThan(0);
    } finally {
      await guarded.close();
    }
  });

  it('does not count a real code used in the wrong place: a withdrawn one, or one of another briefing, never locks its address out', async () => {
    const server2 = await startSfuServer({
      host: '127.0.0.1', port: 0, mediaAddresses: [{ ip: '127.0.0.1' }], mediaPort: 0, workers: 1, credentialFreeFailures: 3,
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-withdrawn-')),
    });
    try {
      const first = await publishInvites(server2, 'giaoban-rut', ['Xã Tân Lập', 'Xã Hòa Bình']);
      const other = await publishInvites(server2, 'giaoban-khac-2', ['Xã Lạ']);
      const base2 = server2.url.replace('ws://', 'http://');
      // A new version no longer invites Xã Hòa Bình: its code is withdrawn.
      const next = briefingDraft({ code: 'giaoban-rut', hostUnit: CHAIR_SEAT, invitedPoints: ['Xã Tân Lập'], startsAt: new Date(Date.now() + 3600_000).toISOString() });
      const republished = await fetch(`${base2}/catalog/briefings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await organizerKeyOf(server2)}` },
        body: JSON.stringify(next),
      });
      expect(republished.status).toBe(201);
      for (let i = 0; i < 10; i++) {
        const answer = await fetch(`${base2}/catalog/briefings`, { headers: { authorization: `Bearer ${first.points['Xã Hòa Bình']}` } });
        expect(answer.status).toBe(401);
        expect((await answer.json()).error.code).toBe('withdrawn');
      }
      const joiner = await TestClient.connect(server2.url);
      for (let i = 0; i < 5; i++) {
        expect((await joiner.join('giaoban-rut', 'Xã Lạ', { credential: other.points['Xã Lạ'] })).error).toMatchObject({ code: 'bad_credential', message: expect.stringMatching(/another briefing/) });
      }
      joiner.close();
      // The same address still gets in with its valid code, over HTTP and WebSocket.
      expect((await fetch(`${base2}/catalog/briefings`, { headers: { authorization: `Bearer ${first.points['Xã Tân Lập']}` } })).status).toBe(200);
      const point = await TestClient.connect(server2.url);
      expect((await point.join('giaoban-rut', 'Xã Tân Lập', { credential: first.points['Xã Tân Lập'] })).data.status).toBe('joined');
      point.close();
    } finally {
      await server2.close();
    }
  });
});
