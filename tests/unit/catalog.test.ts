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
import { publishInvites } from '../support/invitations';
import { TestClient } from '../support/sfuTestClient';

let server: SfuServer;
let base: string;
let dataDir: string;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-catalog-'));
  // The server's day is the Friday before the briefings below, whatever today is.
  const now = () => new Date('2026-11-27T09:00:00+07:00');
  server = await startSfuServer({ host: '127.0.0.1', port: 0, mediaAddresses: [{ ip: '127.0.0.1' }], mediaPort: 0, workers: 1, dataDir }, { now });
  base = server.url.replace('ws://', 'http://');
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const upload = (bytes: Buffer, hash = sha(bytes), type = 'application/pdf') =>
  fetch(`${base}/catalog/documents/${hash}`, { method: 'PUT', headers: { 'content-type': type, 'x-document-name': encodeURIComponent('Báo cáo.pdf') }, body: new Uint8Array(bytes) });

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
const publish = (body: unknown) => fetch(`${base}/catalog/briefings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

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
        headers: { 'content-type': 'application/pdf', 'content-length': 200 * 1024 * 1024 },
      }, (res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.write(Buffer.alloc(1024));
    });
    expect(hugeStatus).toBe(413);
    // The good file is intact after the failures.
    const back = Buffer.from(await (await fetch(`${base}/catalog/documents/${sha(pdf)}`)).arrayBuffer());
    expect(sha(back)).toBe(sha(pdf));
  });

  it('resumes a download from where it was cut', async () => {
    const pdf = await makePdf(Array.from({ length: 5 }, (_, i) => ({ heading: `Trang ${i + 1}`, paragraphs: ['Nội dung'] })));
    await upload(pdf);
    const tail = await fetch(`${base}/catalog/documents/${sha(pdf)}`, { headers: { range: 'bytes=100-' } });
    expect(tail.status).toBe(206);
    const rest = Buffer.from(await tail.arrayBuffer());
    expect(sha(Buffer.concat([pdf.subarray(0, 100), rest]))).toBe(sha(pdf));
    expect((await fetch(`${base}/catalog/documents/${sha(pdf)}`, { headers: { range: `bytes=${pdf.length}-` } })).status).toBe(416);
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
    // A new version needs the chair's code.
    const next = draft([{ sha256: sha(pdf), size: pdf.length }], { code: 'giaoban-v', place: 'Hội trường UBND huyện' });
    expect((await publish(next)).status).toBe(403);
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

    const forPoint = await (await fetch(`${base}/catalog/briefings?point=${encodeURIComponent('Xã Hòa Bình')}`)).json();
    expect(forPoint.find((b: { code: string }) => b.code === 'giaoban-v').version).toBe(2);
    const notInvited = await (await fetch(`${base}/catalog/briefings?point=${encodeURIComponent('Xã Khác')}`)).json();
    expect(notInvited).toEqual([]);
  });

  it('keeps the agenda position and the presenter page for late joiners', async () => {
    const invites = await publishInvites(server.url, 'giaoban-trang', ['Xã Tân Lập']);
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
