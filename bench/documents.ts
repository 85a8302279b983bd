// Documents: syncing a briefing's documents through the app (download, SHA-256 check, store)
// against a raw HTTP download of the same bytes from the same server to a file; and opening page 50 of a
// 100-page PDF from the local store against opening page 1.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DesktopServices } from '../main/services/DesktopServices';
import { makePdf } from '../main/services/documents/makePdf';
import type { BriefingDraft, DocumentRef } from '../sfu-server/protocol/briefing';
import { startSfuProcess } from '../tests/support/sfuProcess';
import { alternate, type Figure, figure } from './lib/figures';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' as const;

/** Spreadsheet-typed blobs (zip magic, random body): what is measured is moving and checking
 * bytes; PDF text indexing is measured apart (page 50). */
function blob(index: number, size: number): { ref: DocumentRef; bytes: Buffer } {
  const bytes = Buffer.concat([Buffer.from('PK\x03\x04'), randomBytes(size - 4)]);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { ref: { sha256, name: `bang-so-lieu-${index}.xlsx`, mimeType: XLSX, size }, bytes };
}

export async function documentsBenchmark(quick: boolean, runs: number): Promise<Figure[]> {
  const count = quick ? 4 : 10;
  const size = (quick ? 5 : 10) * 1024 * 1024;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-bench-docs-'));
  const sfu = await startSfuProcess();
  const base = sfu.url.replace(/^ws/, 'http');
  try {
    const docs = Array.from({ length: count }, (_, i) => blob(i, size));
    for (const { ref, bytes } of docs) {
      const response = await fetch(`${base}/catalog/documents/${ref.sha256}`, {
        method: 'PUT',
        headers: { 'content-type': ref.mimeType, 'x-document-name': encodeURIComponent(ref.name), authorization: `Bearer ${sfu.organizerKey}` },
        body: new Uint8Array(bytes),
      });
      if (!response.ok) throw new Error(`upload failed: ${response.status}`);
    }
    const draft: BriefingDraft = {
      code: 'bench-tai-lieu',
      title: 'Đo đồng bộ tài liệu',
      hostUnit: 'UBND huyện',
      chair: 'Chủ tịch',
      secretary: 'Thư ký',
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      expectedMinutes: 60,
      place: 'Phòng họp',
      regular: false,
      invitedPoints: ['Xã Đo'],
      agenda: [{ title: 'Số liệu', presenter: 'Văn phòng', plannedMinutes: 10, documents: docs.map((d) => d.ref) }],
    };
    const published = await fetch(`${base}/catalog/briefings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sfu.organizerKey}` },
      body: JSON.stringify(draft),
    });
    if (!published.ok) throw new Error(`publish failed: ${published.status}`);
    const { credentials } = (await published.json()) as { credentials: { seat: string; code: string }[] };
    const pointCode = credentials.find((c) => c.seat === 'Xã Đo')!.code;
    const totalMb = (count * size) / 1024 / 1024;

    let round = 0;
    const ours = async () => {
      const services = await DesktopServices.open({ dataDir: path.join(work, `point-${round++}`), seedDemo: false });
      const started = performance.now();
      const result = await services.api.syncBriefings({ serverUrl: sfu.url, inviteCode: pointCode });
      await services.sync.settled();
      const seconds = (performance.now() - started) / 1000;
      const ready = (await services.api.briefingReadiness()).find((b) => b.code === draft.code);
      await services.close();
      if (!result.reachable || !ready?.ready) throw new Error('the sync did not complete');
      return totalMb / seconds;
    };
    // A download is bytes saved: the reference writes each file as a plain client would (no
    // hash, no resume). Reading and dropping the bytes is reported too, as the network's bound.
    const raw = (save: boolean) => async () => {
      const started = performance.now();
      for (const { ref } of docs) {
        const response = await fetch(`${base}/catalog/documents/${ref.sha256}`, { headers: { authorization: `Bearer ${pointCode}` } });
        if (save) await pipeline(Readable.fromWeb(response.body as never), fs.createWriteStream(path.join(work, 'raw.download')));
        else {
          const reader = response.body!.getReader();
          while (!(await reader.read()).done);
        }
      }
      return totalMb / ((performance.now() - started) / 1000);
    };
    const sync = await alternate(runs, ours, raw(true));
    const dropped = await alternate(runs, ours, raw(false));

    // Page 50 of a 100-page PDF, from the local store, as the viewer opens it (pdf.js).
    const services = await DesktopServices.open({ dataDir: path.join(work, 'viewer'), seedDemo: false });
    const pages = Array.from({ length: 100 }, (_, i) => ({
      heading: `Trang ${i + 1}: Báo cáo tình hình kinh tế - xã hội`,
      paragraphs: Array.from({ length: 12 }, (_, j) => `Đoạn ${j + 1}: các xã hoàn thành chỉ tiêu thu ngân sách, giải ngân vốn đầu tư công và chuyển đổi số.`),
    }));
    const { ref } = await services.api.importDocument({ name: 'bao-cao-100-trang.pdf', dataBase64: (await makePdf(pages, 'Báo cáo')).toString('base64') });
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const open = (page: number) => async () => {
      const started = performance.now();
      const { dataBase64 } = await services.api.readDocument({ sha256: ref.sha256 });
      const pdf = await pdfjs.getDocument({ data: new Uint8Array(Buffer.from(dataBase64, 'base64')), isEvalSupported: false }).promise;
      // Everything before painting: parse, find the page, build its drawing operations.
      await (await pdf.getPage(page)).getOperatorList();
      const ms = performance.now() - started;
      await pdf.destroy();
      return ms;
    };
    const page50 = await alternate(runs, open(50), open(1));
    await services.close();

    return [
      figure({
        benchmark: 'documents',
        name: `sync ${totalMb} MB of briefing documents`,
        unit: 'MB/s',
        ours: sync.ours,
        reference: sync.reference,
        referenceName: 'raw HTTP download to a file, same server',
        runs,
        target: { on: 'ratio', op: '>=', value: 0.9, text: '≥ 0.9× raw' },
      }),
      figure({
        benchmark: 'documents',
        name: `sync ${totalMb} MB of briefing documents, against the bytes only read`,
        unit: 'MB/s',
        ours: dropped.ours,
        reference: dropped.reference,
        referenceName: 'raw HTTP download read and dropped, same server',
        runs,
        target: null,
        note: 'nothing written: the loopback network alone',
      }),
      figure({
        benchmark: 'documents',
        name: 'show page 50 of a 100-page PDF from the local store',
        unit: 'ms',
        ours: page50.ours,
        reference: page50.reference,
        referenceName: 'page 1 of the same PDF',
        runs,
        target: null,
        note: 'pdf.js up to the drawing operations, no painting',
      }),
    ];
  } finally {
    await sfu.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
