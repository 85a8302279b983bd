// The exported minutes and conclusions notice, read back by programs no one here wrote:
// LibreOffice opens the DOCX and turns it into a PDF; pdftotext finds every Vietnamese word of
// the minutes in both PDFs; pdffonts shows the fonts embedded.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { conclusionsDocument, minutesDocument } from '../../main/services/records/recordDocument';
import { renderRecordDocx } from '../../main/services/records/recordDocx';
import { renderRecordPdf } from '../../main/services/records/recordPdf';
import { briefingFixture, minutesFixture } from '../support/recordFixture';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-export-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function libreOfficeToPdf(docx: string): string {
  execFileSync(
    'libreoffice',
    [`-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', path.join(dir, 'lo'), docx],
    { stdio: 'pipe', timeout: 120_000 },
  );
  return path.join(dir, 'lo', `${path.basename(docx, '.docx')}.pdf`);
}

/** pdftotext breaks lines where the page does; words are what must survive. */
const words = (text: string) => text.normalize('NFC').split(/\s+/).filter(Boolean);
const textOf = (pdf: string) => words(execFileSync('pdftotext', [pdf, '-']).toString()).join(' ');

function everyWordOf(minutes: ReturnType<typeof minutesFixture>): string[] {
  const texts = minutes.items.flatMap((i) => [i.proceedings, i.conclusions, ...i.speakers.map((s) => s.summary), ...i.assignments.map((a) => a.task)]);
  return [...new Set(texts.flatMap(words).map((w) => w.replace(/[.,;:]$/, '')))];
}

function embeddedFonts(pdf: string): string[][] {
  return execFileSync('pdffonts', [pdf])
    .toString()
    .split('\n')
    .slice(2)
    .filter(Boolean)
    .map((line) => line.trim().split(/\s+/));
}

describe('exporting the minutes', () => {
  it('writes a DOCX LibreOffice opens and a PDF, both with every word of the minutes and fonts embedded', async () => {
    const minutes = minutesFixture();
    const record = minutesDocument(briefingFixture, minutes);
    const docx = path.join(dir, `${record.fileStem}.docx`);
    const pdf = path.join(dir, `${record.fileStem}.pdf`);
    fs.writeFileSync(docx, await renderRecordDocx(record));
    fs.writeFileSync(pdf, await renderRecordPdf(record));
    const converted = libreOfficeToPdf(docx);

    for (const file of [pdf, converted]) {
      const text = textOf(file);
      for (const word of everyWordOf(minutes)) expect(text, `${path.basename(file)}: ${word}`).toContain(word);
      for (const fixed of ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', 'BIÊN BẢN', 'Số: 48/BB-UBND', 'THƯ KÝ', 'CHỦ TỌA', 'Nơi nhận:']) {
        expect(text, `${path.basename(file)}: ${fixed}`).toContain(fixed);
      }
      expect(text).toContain('Xã Phú Sơn, vắng mặt (lý do: Mất điện lưới)');
      const fonts = embeddedFonts(file);
      expect(fonts.length).toBeGreaterThan(0);
      // Columns: name type... emb sub uni; every font embedded, all of the Times-metric family.
      for (const font of fonts) {
        expect(font.at(-5), font.join(' ')).toBe('yes');
        expect(font[0]).toMatch(/LiberationSerif|TimesNewRoman/);
      }
    }
    // A4 in both.
    for (const file of [pdf, converted]) expect(execFileSync('pdfinfo', [file]).toString()).toMatch(/Page size:\s+595\.\d+ x 841\.\d+/);
  }, 180_000);

  it('writes the conclusions notice with its number line, date line, conclusions and assignments', async () => {
    const minutes = minutesFixture();
    const record = conclusionsDocument(briefingFixture, minutes, new Date('2026-11-25T03:00:00Z'));
    const pdf = path.join(dir, `${record.fileStem}.pdf`);
    fs.writeFileSync(pdf, await renderRecordPdf(record));
    const text = textOf(pdf);
    expect(text).toContain('THÔNG BÁO');
    expect(text).toContain('Số: /TB-…');
    expect(text).toContain('ngày 25 tháng 11 năm 2026');
    expect(text).toContain(minutes.items[1].conclusions);
    expect(text).toContain('Tổng hợp nhu cầu điều chỉnh vốn');
    expect(text).toContain('05/12/2026');
  });
});
