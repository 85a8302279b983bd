// Writes a RecordDocument as an A4 PDF (pdfkit) with Decree 30's margins and a Times-metric font
// that has the Vietnamese letters (Liberation Serif 2), embedded so every PC shows the same page.
import fs from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { type Block, type RecordDocument, type SignatureBlock, agencyLines } from './recordDocument';

const MM = 72 / 25.4;
/** Decree 30: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm. */
export const PAGE_MARGINS_MM = { top: 20, bottom: 20, left: 30, right: 15 };
const BODY_SIZE = 13;
const FONT_DIR = '/usr/share/fonts/truetype/liberation2';
const FACES = { regular: 'Regular', bold: 'Bold', italic: 'Italic', boldItalic: 'BoldItalic' } as const;

/** Liberation Serif 2 (not 1.07, which lacks Vietnamese): same metrics as Times New Roman. */
export function recordFonts(): Record<keyof typeof FACES, string> {
  const files = Object.fromEntries(Object.entries(FACES).map(([k, v]) => [k, path.join(FONT_DIR, `LiberationSerif-${v}.ttf`)]));
  if (Object.values(files).every((f) => fs.existsSync(f))) return files as Record<keyof typeof FACES, string>;
  throw new Error('the Liberation Serif 2 font is missing; install the fonts-liberation2 package');
}

/** The bytes pdfkit writes, once the document has ended. */
export function pdfBytes(pdf: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
}

export interface SignatureBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PdfOptions {
  /** Called with the blank spaces under the signers' titles (left: the secretary, where the
   * record has one; right: the chair), to draw digital signatures there and mark their fields. */
  signatureSlot?: (pdf: PDFKit.PDFDocument, boxes: { left: SignatureBox | null; right: SignatureBox }) => void;
  info?: { author?: string };
}

export function renderRecordPdf(record: RecordDocument, options: PdfOptions = {}): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: 'A4',
    margins: {
      top: PAGE_MARGINS_MM.top * MM,
      bottom: PAGE_MARGINS_MM.bottom * MM,
      left: PAGE_MARGINS_MM.left * MM,
      right: PAGE_MARGINS_MM.right * MM,
    },
    info: { Title: `${record.title} ${record.subtitle}`, Author: options.info?.author ?? record.agency, Creator: 'Giao Ban' },
    lang: 'vi-VN',
  });
  const finished = pdfBytes(pdf);
  const fonts = recordFonts();
  for (const [face, file] of Object.entries(fonts)) pdf.registerFont(face, file);
  writeHeader(pdf, record);
  for (const [i, block] of record.body.entries()) {
    // The signatures never stand alone on a page: the last lines go over with them.
    if (i === record.body.length - 1 && !fitsWithSignatures(pdf, record, block)) pdf.addPage();
    writeBlock(pdf, block);
  }
  writeSignatures(pdf, record, options.signatureSlot);
  pdf.end();
  return finished;
}

function contentWidth(pdf: PDFKit.PDFDocument): number {
  return pdf.page.width - pdf.page.margins.left - pdf.page.margins.right;
}

/** Agency top left, the national motto top right, each centred in its column. */
function writeHeader(pdf: PDFKit.PDFDocument, record: RecordDocument): void {
  const left = pdf.page.margins.left;
  const width = contentWidth(pdf);
  const leftWidth = width * 0.42;
  const rightX = left + leftWidth;
  const rightWidth = width - leftWidth;
  const top = pdf.page.margins.top;

  let y = top;
  if (record.parentAgency) {
    pdf.font('regular').fontSize(12).text(record.parentAgency.toUpperCase(), left, y, { width: leftWidth, align: 'center' });
    y = pdf.y;
  }
  pdf.font('bold').fontSize(12).text(agencyLines(record.agency).join('\n'), left, y, { width: leftWidth, align: 'center' });
  y = pdf.y + 2;
  pdf.moveTo(left + leftWidth / 2 - 25, y).lineTo(left + leftWidth / 2 + 25, y).lineWidth(0.6).stroke();
  pdf.font('regular').fontSize(BODY_SIZE).text(record.number, left, y + 6, { width: leftWidth, align: 'center' });
  const leftBottom = pdf.y;

  pdf.font('bold').fontSize(12).text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', rightX, top, { width: rightWidth, align: 'center' });
  pdf.font('bold').fontSize(BODY_SIZE).text('Độc lập - Tự do - Hạnh phúc', rightX, pdf.y, { width: rightWidth, align: 'center' });
  const mottoWidth = pdf.widthOfString('Độc lập - Tự do - Hạnh phúc');
  const lineY = pdf.y + 2;
  pdf.moveTo(rightX + (rightWidth - mottoWidth) / 2, lineY).lineTo(rightX + (rightWidth + mottoWidth) / 2, lineY).stroke();
  if (record.placeAndDate) {
    pdf.font('italic').fontSize(BODY_SIZE).text(record.placeAndDate, rightX, lineY + 6, { width: rightWidth, align: 'center' });
  }
  const bottom = Math.max(leftBottom, pdf.y) + 18;

  pdf.font('bold').fontSize(14).text(record.title, left, bottom, { width, align: 'center' });
  pdf.font('bold').fontSize(14).text(record.subtitle, left, pdf.y, { width, align: 'center' });
  const ruleY = pdf.y + 3;
  pdf.moveTo(left + width / 2 - 40, ruleY).lineTo(left + width / 2 + 40, ruleY).stroke();
  pdf.x = left;
  pdf.y = ruleY + 14;
}

function writeBlock(pdf: PDFKit.PDFDocument, block: Block): void {
  const left = pdf.page.margins.left;
  const width = contentWidth(pdf);
  if (block.type === 'heading') {
    pdf.font('bold').fontSize(BODY_SIZE).text(block.text, left, pdf.y, { width, align: 'justify', paragraphGap: 4 });
    return;
  }
  if (block.type === 'paragraph') {
    const face = block.bold ? (block.italic ? 'boldItalic' : 'bold') : block.italic ? 'italic' : 'regular';
    pdf.font(face).fontSize(BODY_SIZE).text(block.text, left, pdf.y, {
      width,
      align: 'justify',
      indent: block.indent ? 10 * MM : 0,
      paragraphGap: 4,
    });
    return;
  }
  writeTable(pdf, block);
}

function writeTable(pdf: PDFKit.PDFDocument, table: Extract<Block, { type: 'table' }>): void {
  const left = pdf.page.margins.left;
  const width = contentWidth(pdf);
  const widths = table.widths.map((w) => w * width);
  const pad = 4;
  const bottomLimit = () => pdf.page.height - pdf.page.margins.bottom;
  const row = (cells: string[], face: 'bold' | 'regular') => {
    pdf.font(face).fontSize(12);
    const height = Math.max(...cells.map((c, i) => pdf.heightOfString(c || ' ', { width: widths[i] - 2 * pad }))) + 2 * pad;
    if (pdf.y + height > bottomLimit()) pdf.addPage();
    const top = pdf.y;
    let x = left;
    cells.forEach((cell, i) => {
      pdf.rect(x, top, widths[i], height).lineWidth(0.5).stroke();
      pdf.text(cell, x + pad, top + pad, { width: widths[i] - 2 * pad, align: face === 'bold' ? 'center' : 'left' });
      x += widths[i];
    });
    pdf.x = left;
    pdf.y = top + height;
  };
  row(table.header, 'bold');
  for (const cells of table.rows) row(cells, 'regular');
  pdf.y += 8;
}

const SIGN_SPACE = 80;

/** Height of the signature area: titles, the space to sign in, names, and "Nơi nhận". */
function signaturesHeight(record: RecordDocument): number {
  const titleLines = Math.max(...[record.signatures.left, record.signatures.right].map((b) => (b ? b.title.split('\n').length : 0)));
  return 45 + titleLines * 15 + SIGN_SPACE + 30 + (record.recipients.length + 1) * 15;
}

function fitsWithSignatures(pdf: PDFKit.PDFDocument, record: RecordDocument, last: Block): boolean {
  const lastHeight = last.type === 'paragraph' ? pdf.font('regular').fontSize(BODY_SIZE).heightOfString(last.text, { width: contentWidth(pdf) }) + 8 : 0;
  return pdf.y + lastHeight + signaturesHeight(record) <= pdf.page.height - pdf.page.margins.bottom;
}

function writeSignatures(pdf: PDFKit.PDFDocument, record: RecordDocument, slot: PdfOptions['signatureSlot']): void {
  const left = pdf.page.margins.left;
  const width = contentWidth(pdf);
  const half = width / 2;
  if (pdf.y + signaturesHeight(record) > pdf.page.height - pdf.page.margins.bottom) pdf.addPage();
  const top = pdf.y + 12;

  const column = (block: SignatureBlock, x: number): number => {
    pdf.font('bold').fontSize(BODY_SIZE).text(block.title, x, top, { width: half, align: 'center' });
    pdf.font('italic').fontSize(12).text('(Ký, ghi rõ họ tên)', x, pdf.y, { width: half, align: 'center' });
    const spaceTop = pdf.y + 4;
    pdf.font('bold').fontSize(BODY_SIZE).text(block.name, x, spaceTop + SIGN_SPACE, { width: half, align: 'center' });
    return spaceTop;
  };
  let bottom: number;
  let leftSpace: number | null = null;
  if (record.signatures.left) {
    leftSpace = column(record.signatures.left, left);
    bottom = pdf.y;
  } else {
    // The notice puts "Nơi nhận" at the left of the signature, as the decree's template does.
    writeRecipients(pdf, record.recipients, left, top, half);
    bottom = pdf.y;
  }
  const spaceTop = column(record.signatures.right, left + half);
  bottom = Math.max(bottom, pdf.y);
  const box = (x: number, y: number): SignatureBox => ({ x: x + 20, y, width: half - 40, height: SIGN_SPACE - 4 });
  if (slot) slot(pdf, { left: leftSpace === null ? null : box(left, leftSpace), right: box(left + half, spaceTop) });
  if (record.signatures.left) writeRecipients(pdf, record.recipients, left, bottom + 18, width);
}

function writeRecipients(pdf: PDFKit.PDFDocument, recipients: string[], x: number, y: number, width: number): void {
  pdf.font('boldItalic').fontSize(12).text('Nơi nhận:', x, y, { width });
  const lines = recipients.map((r, i) => `- ${r.replace(/[.;]$/, '')}${i === recipients.length - 1 ? '.' : ';'}`);
  pdf.font('regular').fontSize(11).text(lines.join('\n'), x, pdf.y, { width });
}
