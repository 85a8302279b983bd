// Writes simple A4 PDFs with Vietnamese text (pdfkit), for the demo briefing in seeds/ and for
// tests. Needs a font with Vietnamese glyphs: Liberation Serif 2 (metric-compatible with Times
// New Roman, Debian fonts-liberation2) or DejaVu Serif.
import fs from 'node:fs';
import PDFDocument from 'pdfkit';
import { pdfBytes } from '../records/recordPdf';

const VIETNAMESE_FONTS = [
  '/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf',
];

export function vietnameseFont(): string {
  const found = VIETNAMESE_FONTS.find((f) => fs.existsSync(f));
  if (!found) throw new Error(`no font with Vietnamese glyphs; install fonts-liberation2 (looked for ${VIETNAMESE_FONTS.join(', ')})`);
  return found;
}

export interface PdfPage {
  heading: string;
  paragraphs: string[];
}

export function makePdf(pages: PdfPage[], title = ''): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', autoFirstPage: false, margins: { top: 57, bottom: 57, left: 85, right: 57 }, info: { Title: title } });
  const finished = pdfBytes(doc);
  doc.registerFont('body', vietnameseFont());
  for (const page of pages) {
    doc.addPage();
    doc.font('body').fontSize(15).text(page.heading, { align: 'center' }).moveDown();
    doc.fontSize(13);
    for (const paragraph of page.paragraphs) doc.text(paragraph, { align: 'justify' }).moveDown(0.5);
  }
  doc.end();
  return finished;
}
