// Prepare, publish, receive ahead, work offline: two meeting points' desktop services against
// a real server catalog, through the same API the renderer calls.
import { hostLevelOf, pointKindOf } from '../../main/api/hostLevel';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../main/api/contract';
import { DesktopServices } from '../../main/services/DesktopServices';
import { makePdf } from '../../main/services/documents/makePdf';
import type { BriefingDraft, DocumentRef } from '../../sfu-server/protocol/briefing';
import { type SfuServer, startSfuServer } from '../../sfu-server/src/SfuServer';

const dirs: string[] = [];
const temp = (name: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `giao-ban-${name}-`));
  dirs.push(dir);
  return dir;
};
const b64 = (b: Buffer) => b.toString('base64');

let server: SfuServer;
let serverUrl: string;
let district: DesktopServices;
let commune: DesktopServices;
let report: DocumentRef;
let plan: DocumentRef;
// Monday 23 Nov 2026, 09:00 in Vietnam; the briefing is on Friday 27 Nov.
const now = () => new Date('2026-11-23T09:00:00+07:00');

async function startServer(port = 0): Promise<SfuServer> {
  return startSfuServer({ host: '127.0.0.1', port, mediaAddresses: [{ ip: '127.0.0.1' }], mediaPort: 0, workers: 1, dataDir: serverData }, { now });
}
let serverData: string;

function draft(overrides: Partial<BriefingDraft> = {}): BriefingDraft {
  return {
    code: 'giaoban-tuan-48',
    title: 'Giao ban trực tuyến tuần 48',
    hostUnit: 'UBND huyện Đồng Tâm',
    chair: 'Chủ tịch UBND huyện',
    secretary: 'Chánh Văn phòng HĐND và UBND huyện',
    startsAt: '2026-11-27T07:30:00+07:00',
    expectedMinutes: 120,
    place: 'Phòng họp trực tuyến UBND huyện',
    regular: true,
    invitedPoints: ['Xã Tân Lập', 'Xã Hòa Bình'],
    agenda: [
      { title: 'Kết quả công tác tuần', presenter: 'Văn phòng', plannedMinutes: 20, documents: [report] },
      { title: 'Kế hoạch chuyển đổi số năm 2027', presenter: 'Phòng Văn hóa và Thông tin', plannedMinutes: 30, documents: [plan] },
      { title: 'Ý kiến các xã', presenter: 'Các điểm cầu', plannedMinutes: 40, documents: [] },
    ],
    ...overrides,
  };
}

beforeAll(async () => {
  serverData = temp('sfu');
  server = await startServer();
  serverUrl = server.url;
  district = await DesktopServices.open({ dataDir: temp('district'), now });
  commune = await DesktopServices.open({ dataDir: temp('commune'), now });
  // The province's IT officer made the host unit an organizer; its secretary saved the key once.
  const { key } = await server.organizers.add('UBND huyện Đồng Tâm');
  expect(await district.api.saveOrganizerKey({ serverUrl, key })).toEqual({ organizer: 'UBND huyện Đồng Tâm' });
  const reportPdf = await makePdf(
    [1, 2, 3].map((n) => ({ heading: `Báo cáo tuần, trang ${n}`, paragraphs: [`Tiến độ giải ngân vốn đầu tư công, phần ${n}.`] })),
  );
  const planPdf = await makePdf(
    [1, 2, 3, 4, 5, 6].map((n) => ({ heading: `Kế hoạch chuyển đổi số, trang ${n}`, paragraphs: ['Mục tiêu: 100% văn bản được ký số.'] })),
  );
  report = (await district.api.importDocument({ name: 'Bao cao tuan 48.pdf', dataBase64: b64(reportPdf) })).ref;
  plan = (await district.api.importDocument({ name: 'Ke hoach CDS 2027.pdf', dataBase64: b64(planPdf) })).ref;
});

afterAll(async () => {
  await district.close();
  await commune.close();
  await server.close().catch(() => undefined);
  dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

const rejection = async (work: Promise<unknown>) => {
  const error = await work.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
};

describe('preparing documents', () => {
  it('refuses an empty file, a non-PDF named .pdf, a corrupt PDF and an unknown type with a reason', async () => {
    const call = (name: string, bytes: Buffer) => district.call('importDocument', { name, dataBase64: b64(bytes) });
    expect((await rejection(call('rong.pdf', Buffer.alloc(0)))).reason).toBe('empty');
    expect((await rejection(call('anh.pdf', Buffer.from('GIF89a not a pdf')))).reason).toBe('bad_type');
    expect((await rejection(call('hong.pdf', Buffer.from('%PDF-1.7\nthis is no pdf body at all')))).reason).toBe('corrupt_pdf');
    expect((await rejection(call('virus.exe', Buffer.from('MZ')))).reason).toBe('bad_type');
  });

  it('recognises a document already stored', async () => {
    const again = await district.api.importDocument({ name: 'ban sao.pdf', dataBase64: (await district.api.readDocument({ sha256: report.sha256 })).dataBase64 });
    expect(again).toEqual({ ref: { ...report, name: 'ban sao.pdf' }, alreadyStored: true });
  });
});

describe('publishing and receiving ahead', () => {
  it('refuses a briefing with no agenda item', async () => {
    const error = await rejection(district.call('publishBriefing', { serverUrl, draft: { ...draft(), agenda: [] } }));
    expect(error.code).toBe('bad_input');
    expect(error.message).toContain('at least one agenda item');
  });

  it('publishes with a warning when documents go out under 3 working days ahead, without blocking', async () => {
    const late = await district.api.publishBriefing({ serverUrl, draft: draft({ code: 'giaoban-muon', startsAt: '2026-11-26T07:30:00+07:00' }) });
    expect(late.briefing.version).toBe(1);
    expect(late.lateWarning).toEqual({ workingDaysAhead: 2, required: 3 });
    const onTime = await district.api.publishBriefing({ serverUrl, draft: draft() });
    expect(onTime.lateWarning).toBeNull();
  });

  it('keeps the invite codes issued at publishing: the chair joins with its own, the others are handed out', async () => {
    const invites = await district.api.listInvites({ briefingCode: 'giaoban-tuan-48' });
    expect(invites[0]).toMatchObject({ role: 'chair', origin: 'issued' });
    const points = invites.filter((i) => i.role === 'point').map((i) => i.seat);
    expect(points.sort()).toEqual([...draft().invitedPoints].sort());
    expect(new Set(invites.map((i) => i.code)).size).toBe(invites.length);
    expect((await district.api.inviteForJoining({ briefingCode: 'giaoban-tuan-48' }))?.code).toBe(invites[0].code);
    // A commune keeps the code its operator typed, for the next join.
    expect(await commune.api.inviteForJoining({ briefingCode: 'giaoban-tuan-48' })).toBeNull();
    const mine = invites.find((i) => i.seat === 'Xã Tân Lập')!;
    await commune.api.keepEnteredInvite({ briefingCode: 'giaoban-tuan-48', seat: mine.seat, role: 'point', code: mine.code });
    expect(await commune.api.inviteForJoining({ briefingCode: 'giaoban-tuan-48' })).toMatchObject({ seat: 'Xã Tân Lập', code: mine.code, origin: 'entered' });
  });

  it('a meeting point syncs the briefing and all its documents, and is then ready', async () => {
    const result = await commune.api.syncBriefings({ serverUrl });
    expect(result.reachable).toBe(true);
    await commune.sync.settled();
    const readiness = await commune.api.briefingReadiness();
    const mine = readiness.find((r) => r.code === 'giaoban-tuan-48')!;
    expect(mine).toMatchObject({ documentsTotal: 2, documentsStored: 2, ready: true, error: null });
    expect(mine.bytesStored).toBe(report.size + plan.size);
  });

  it('with the server stopped, everything received still opens and is searchable', async () => {
    await server.close();
    const result = await commune.api.syncBriefings({ serverUrl });
    expect(result.reachable).toBe(false);
    const briefing = await commune.api.getBriefing({ code: 'giaoban-tuan-48' });
    expect(briefing?.agenda.map((i) => i.title)).toEqual(draft().agenda.map((i) => i.title));
    const bytes = Buffer.from((await commune.api.readDocument({ sha256: plan.sha256 })).dataBase64, 'base64');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(plan.sha256);
    const hits = await commune.api.searchLocal({ query: 'ke hoach chuyen doi so' });
    expect(hits.map((h) => h.kind)).toContain('agenda');
    expect(hits.find((h) => h.ref === `${plan.sha256}#6`)?.snippet).toContain('Kế hoạch chuyển đổi số, trang 6');
    server = await startServer(Number(new URL(serverUrl).port));
  });

  it('tells a meeting point what changed in a new version', async () => {
    await district.api.publishBriefing({ serverUrl, draft: draft({ place: 'Hội trường UBND huyện' }) });
    const result = await commune.api.syncBriefings({ serverUrl });
    expect(result.updated).toEqual([
      { code: 'giaoban-tuan-48', version: 2, changes: [{ field: 'place', before: 'Phòng họp trực tuyến UBND huyện', after: 'Hội trường UBND huyện' }] },
    ]);
  });

  it('forgets the code of a point a new version no longer invites, and keeps the others as they were', async () => {
    // A briefing of its own, so the others' invitations stay as the later tests expect them.
    await district.api.publishBriefing({ serverUrl, draft: draft({ code: 'giaoban-rut-diem' }) });
    const before = await district.api.listInvites({ briefingCode: 'giaoban-rut-diem' });
    expect(before.map((i) => i.seat)).toContain('Xã Hòa Bình');
    // Xã Hòa Bình's PC received it ahead with its code.
    const hoaBinh = await DesktopServices.open({ dataDir: temp('hoa-binh'), now, seedDemo: false });
    const hoaBinhCode = before.find((i) => i.seat === 'Xã Hòa Bình')!.code;
    expect((await hoaBinh.api.syncBriefings({ serverUrl, inviteCode: hoaBinhCode })).invited?.seat).toBe('Xã Hòa Bình');
    await district.api.publishBriefing({ serverUrl, draft: draft({ code: 'giaoban-rut-diem', invitedPoints: ['Xã Tân Lập'] }) });
    const after = await district.api.listInvites({ briefingCode: 'giaoban-rut-diem' });
    expect(after.map((i) => i.seat)).not.toContain('Xã Hòa Bình');
    // Its PC learns the code was withdrawn at the next sync and stops using it (no longer
    // knocking with a dead code every 30 s).
    expect((await hoaBinh.api.syncBriefings({ serverUrl })).reachable).toBe(true);
    expect(await hoaBinh.api.inviteForJoining({ briefingCode: 'giaoban-rut-diem' })).toBeNull();
    await hoaBinh.close();
    expect(after.find((i) => i.seat === 'Xã Tân Lập')?.code).toBe(before.find((i) => i.seat === 'Xã Tân Lập')?.code);
    expect(after[0]).toMatchObject({ role: 'chair', code: before[0].code });
  });
});

describe('a download over a bad link', () => {
  it('resumes after a cut, discards a damaged copy and fetches it again', async () => {
    // A link that first drops the connection part way, then corrupts the resumed part.
    const seen: string[] = [];
    const target = new URL(serverUrl.replace('ws://', 'http://'));
    const proxy = http.createServer((req, res) => {
      const isDoc = req.url === `/catalog/documents/${report.sha256}`;
      if (isDoc) seen.push(req.headers.range ?? 'full');
      const upstream = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        if (isDoc && seen.length === 1) {
          res.flushHeaders();
          up.once('data', (chunk: Buffer) => {
            res.write(chunk.subarray(0, 1500));
            setTimeout(() => {
              res.destroy();
              up.destroy();
            }, 100);
          });
        } else if (isDoc && seen.length === 2) {
          up.on('data', (chunk: Buffer) => res.write(Buffer.from(chunk.map((b) => b ^ 0xff))));
          up.on('end', () => res.end());
        } else up.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
    const proxyUrl = `ws://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const third = await DesktopServices.open({ dataDir: temp('third'), now });
    const hoaBinh = (await district.api.listInvites({ briefingCode: 'giaoban-tuan-48' })).find((i) => i.seat === 'Xã Hòa Bình')!;
    try {
      // The operator types the code the district sent, to receive the briefing ahead.
      const first = await third.api.syncBriefings({ serverUrl: proxyUrl, inviteCode: hoaBinh.code });
      expect(first.invited).toEqual({ briefingCode: 'giaoban-tuan-48', seat: 'Xã Hòa Bình' });
      await third.sync.settled();
      const cut = (await third.api.briefingReadiness()).find((r) => r.code === 'giaoban-tuan-48')!;
      expect(cut.ready).toBe(false);
      expect(cut.error?.code).toBe('interrupted');

      await third.api.syncBriefings({ serverUrl: proxyUrl });
      await third.sync.settled();
      expect(seen[1]).toMatch(/^bytes=[1-9]\d*-$/); // resumed, not restarted
      expect(seen[2]).toBe('full'); // the damaged copy was thrown away and fetched again
      const after = (await third.api.briefingReadiness()).find((r) => r.code === 'giaoban-tuan-48')!;
      expect(after).toMatchObject({ ready: true, error: null });
      const stored = Buffer.from((await third.api.readDocument({ sha256: report.sha256 })).dataBase64, 'base64');
      expect(createHash('sha256').update(stored).digest('hex')).toBe(report.sha256);
    } finally {
      await third.close();
      proxy.close();
    }
  });
});

describe('first start', () => {
  it('shows a realistic demo briefing, ready and searchable, placed once', async () => {
    const dataDir = temp('first-start');
    const fresh = await DesktopServices.open({ dataDir, now });
    const demo = (await fresh.api.briefingReadiness()).find((r) => r.code === 'mau-giao-ban-tuan');
    expect(demo).toMatchObject({ ready: true, documentsTotal: 2 });
    expect(demo?.startsAt).toBe('2026-11-30T07:30:00+07:00'); // the Monday after "now"
    const hits = await fresh.api.searchLocal({ query: 'ky so van ban' });
    expect(hits.some((h) => h.kind === 'page' && h.snippet.includes('ký số'))).toBe(true);
    expect((await fresh.api.listDrafts()).length).toBe(1);
    // A province briefing as provinces brief since the reform: a hundred-odd communes, wards and
    // special zones plus departments, each named once, and no district anywhere.
    const briefing = await fresh.api.getBriefing({ code: 'mau-giao-ban-tuan' });
    if (!briefing) throw new Error('the demo briefing is not kept');
    const points = briefing.invitedPoints;
    expect(new Set(points).size).toBe(points.length);
    const kinds = points.map(pointKindOf);
    expect(kinds.filter((k) => k === 'commune').length).toBeGreaterThanOrEqual(70);
    expect(kinds.filter((k) => k === 'ward').length).toBeGreaterThanOrEqual(20);
    expect(kinds).toContain('specialZone');
    expect(kinds.filter((k) => k === 'department').length).toBeGreaterThanOrEqual(10);
    expect(hostLevelOf(briefing.hostUnit)).toBe('province');
    expect(JSON.stringify(briefing)).not.toMatch(/huyện|thị trấn/);
    await fresh.close();
    const again = await DesktopServices.open({ dataDir, now });
    expect((await again.api.listBriefings()).filter((b) => b.code === 'mau-giao-ban-tuan')).toHaveLength(1);
    expect((await again.api.listDrafts()).length).toBe(1);
    await again.close();
  });
});

describe('edge cases of storing documents', () => {
  it('accepts DOCX and XLSX (opened with the system program) and refuses a file over the limit', async () => {
    const opened: string[] = [];
    const point = await DesktopServices.open({ dataDir: temp('office'), now, seedDemo: false, openWithSystem: (f) => opened.push(f) });
    try {
      // Office files are ZIP containers; the check is on their content, not only their name.
      const docx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('word/document.xml')]);
      const { ref } = await point.api.importDocument({ name: 'To trinh.docx', dataBase64: b64(docx) });
      expect(ref.mimeType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      await point.api.openDocumentExternally({ sha256: ref.sha256 });
      expect(opened).toHaveLength(1);
      expect(fs.readFileSync(opened[0])).toEqual(docx);
      const big = Buffer.alloc(51 * 1024 * 1024, 0x20);
      big.write('%PDF-1.7');
      expect((await rejection(point.call('importDocument', { name: 'lon.pdf', dataBase64: b64(big) }))).reason).toBe('too_large');
    } finally {
      await point.close();
    }
  });

  it('a full disk during a download is reported and stores nothing', async () => {
    const { downloadDocument, DownloadError } = await import('../../main/services/documents/download');
    const token = (await district.api.listInvites({ briefingCode: 'giaoban-tuan-48' })).find((i) => i.seat === 'Xã Tân Lập')!.code;
    // /dev/full answers every write with ENOSPC, as a full disk does.
    const error = await downloadDocument({ serverUrl, token }, report, '/dev/full').then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as InstanceType<typeof DownloadError>).code).toBe('disk_full');
  });

  it('keeps personal page notes on this PC', async () => {
    await commune.api.savePageNote({ sha256: plan.sha256, page: 2, text: 'Hỏi lại về kinh phí' });
    await commune.api.savePageNote({ sha256: plan.sha256, page: 5, text: 'Đề xuất bổ sung xã Hòa Bình' });
    await commune.api.savePageNote({ sha256: plan.sha256, page: 5, text: '' });
    expect((await commune.api.getPageNotes({ sha256: plan.sha256 })).map((n) => [n.page, n.text])).toEqual([[2, 'Hỏi lại về kinh phí']]);
    expect(await district.api.getPageNotes({ sha256: plan.sha256 })).toEqual([]);
  });
});
