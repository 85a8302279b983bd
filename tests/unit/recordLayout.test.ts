// The exported papers as a records office checks them: the agency's name in Decree 30's form,
// the notice signed in the signing authority's form, signatures never alone on a page, and a
// stored record opened under its own name and extension.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DesktopServices } from '../../main/services/DesktopServices';
import { conclusionsDocument, minutesDocument } from '../../main/services/records/recordDocument';
import { renderRecordPdf } from '../../main/services/records/recordPdf';
import { briefingFixture, minutesFixture } from '../support/recordFixture';
import { tempDirs } from '../support/tempDirs';

const { temp, removeAll } = tempDirs();
afterAll(removeAll);
const dir = temp('layout');

async function pagesOf(bytes: Buffer, name: string): Promise<string[]> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', file, '-']).toString().split('\f').filter((p) => p.trim());
}

describe('the papers in Decree 30 form', () => {
  it('heads a People\'s Committee as "ỦY BAN NHÂN DÂN" over its place', async () => {
    const [first] = await pagesOf(await renderRecordPdf(minutesDocument(briefingFixture, minutesFixture())), 'header.pdf');
    const lines = first.split('\n').map((l) => l.trim());
    const committee = lines.findIndex((l) => l.startsWith('ỦY BAN NHÂN DÂN'));
    expect(committee).toBeGreaterThanOrEqual(0);
    expect(lines[committee + 1]).toMatch(/^HUYỆN SƠN HÀ/);
    expect(first).not.toContain('ỦY BAN NHÂN DÂN HUYỆN SƠN HÀ');
  });

  it('signs the conclusions notice in the signing authority\'s form, not as "chủ tọa"', async () => {
    const minutes = minutesFixture();
    minutes.meta.noticeSignerAuthority = 'KT. Chủ tịch';
    minutes.meta.noticeSignerPosition = 'Phó Chủ tịch';
    const pages = await pagesOf(await renderRecordPdf(conclusionsDocument(briefingFixture, minutes, new Date('2026-11-24T03:00:00Z'))), 'notice.pdf');
    const text = pages.join('\n');
    expect(text).toContain('KT. CHỦ TỊCH');
    expect(text).toContain('PHÓ CHỦ TỊCH');
    expect(text).not.toContain('CHỦ TỌA');
    // Unset, the head of the People's Committee signs.
    const plain = (await pagesOf(await renderRecordPdf(conclusionsDocument(briefingFixture, minutesFixture(), new Date())), 'notice-head.pdf')).join('\n');
    expect(plain).toMatch(/^\s*.*CHỦ TỊCH\s*$/m);
    expect(plain).not.toContain('KT.');
  });

  it('never leaves the signatures alone on a page, however long the minutes', async () => {
    let pushed = 0;
    // Minutes of growing length: somewhere the signatures no longer fit on the page.
    for (let speakers = 8; speakers <= 30; speakers += 2) {
      const minutes = minutesFixture();
      minutes.items[0].speakers = Array.from({ length: speakers }, (_, i) => ({ name: `Đại biểu ${i + 1}`, unit: 'Xã Tân Lập', summary: 'Đề nghị bổ sung kinh phí duy tu đường giao thông nông thôn trước mùa mưa lũ.' }));
      const pages = await pagesOf(await renderRecordPdf(minutesDocument(briefingFixture, minutes)), `long-${speakers}.pdf`);
      const signing = pages.find((p) => p.includes('THƯ KÝ'))!;
      expect(signing, `${speakers} speakers`).toContain('Cuộc họp kết thúc');
      if (pages.length > 1 && !pages.at(-2)!.includes('Cuộc họp kết thúc') && signing.split('\n').filter((l) => l.trim()).length < 25) pushed++;
    }
    // At least one length put the last paragraph over with the signatures.
    expect(pushed).toBeGreaterThan(0);
  });
});

describe('the end of the meeting', () => {
  it('is written only once the chair has ended it, not at the end of an item', () => {
    const minutes = minutesFixture();
    minutes.items[0].endedAt = '2026-11-23T01:10:00.000Z';
    const lastLine = (m: typeof minutes) => minutesDocument(briefingFixture, m).body.map((b) => (b.type === 'table' ? '' : b.text)).join('\n');
    expect(lastLine(minutes)).toContain('Cuộc họp kết thúc vào … giờ … phút');
    expect(lastLine(minutes)).not.toContain('08 giờ 10 phút cùng ngày');
    expect(lastLine({ ...minutes, endedAt: '2026-11-23T02:45:00.000Z' })).toContain('Cuộc họp kết thúc vào 09 giờ 45 phút cùng ngày');
  });
});

describe('opening a stored record', () => {
  it('opens a copy under its own name with its extension, never the hash-named file', async () => {
    const opened: string[] = [];
    const pc = await DesktopServices.open({ dataDir: temp('pc'), seedDemo: false, openWithSystem: (file) => opened.push(file) });
    const bytes = await renderRecordPdf(minutesDocument(briefingFixture, minutesFixture()));
    const { ref } = await pc.api.importDocument({ name: 'bien-ban-48.pdf', dataBase64: bytes.toString('base64') });
    await pc.api.openDocumentExternally({ sha256: ref.sha256 });
    expect(path.basename(opened[0])).toBe('bien-ban-48.pdf');
    expect(path.extname(opened[0])).toBe('.pdf');
    expect(fs.readFileSync(opened[0]).equals(bytes)).toBe(true);
    await pc.close();
  });
});
