// The enrolment codes handed out, as a printable sheet (A4 PDF: a row per point with its group,
// its code and the QR code of its enrolment link) and as CSV for the province's own mailing.
import PDFDocument from 'pdfkit';
import { enrolmentLink } from '../../api/enrolmentLink';
import { qrSymbol } from '../../api/qr';
import { vietnameseFont } from '../documents/makePdf';
import { pdfBytes } from '../records/recordPdf';

export interface SheetRow {
  point: string;
  group: string;
  code: string;
}

export interface SheetHeader {
  organizer: string;
  serverUrl: string;
  caFingerprint: string | null;
  issuedAt: string;
}

const ROW_HEIGHT = 92;
const QR_SIDE = 84;

function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number): void {
  const symbol = qrSymbol(text);
  const module = QR_SIDE / (symbol.size + 8);
  for (let row = 0; row < symbol.size; row++) {
    for (let column = 0; column < symbol.size; column++) {
      if (symbol.dark(row, column)) doc.rect(x + (column + 4) * module, y + (row + 4) * module, module, module);
    }
  }
  doc.fill('#000');
}

export function enrolmentSheetPdf(header: SheetHeader, rows: SheetRow[]): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margins: { top: 40, bottom: 40, left: 50, right: 40 }, info: { Title: `Mã đăng ký điểm cầu — ${header.organizer}` } });
  const finished = pdfBytes(doc);
  doc.registerFont('body', vietnameseFont());
  doc.font('body');
  const heading = () => {
    doc.fontSize(14).text(`MÃ ĐĂNG KÝ ĐIỂM CẦU GIAO BAN TRỰC TUYẾN — ${header.organizer.toLocaleUpperCase('vi')}`, { align: 'center' });
    doc.fontSize(10).text(`Máy chủ: ${header.serverUrl}${header.caFingerprint ? ` — Dấu vân tay CA: ${header.caFingerprint}` : ''}`, { align: 'center' });
    doc.text('Mỗi điểm cầu nhập mã của mình một lần (ô “Mã mời của điểm cầu” trong “Cuộc giao ban sắp tới”) hoặc quét mã QR; các cuộc giao ban sau tự đến. Giữ kín mã như mật khẩu.', { align: 'center' });
    doc.moveDown(0.5);
  };
  heading();
  let y = doc.y;
  rows.forEach((row, index) => {
    if (y + ROW_HEIGHT > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      heading();
      y = doc.y;
    }
    doc.fontSize(11).fillColor('#000').text(`${index + 1}. ${row.point}`, 50, y + 8, { width: 300 });
    doc.fontSize(9).text(`Nhóm: ${row.group}`, 50, doc.y + 2, { width: 300 });
    doc.fontSize(12).text(`Mã đăng ký: ${row.code}`, 50, doc.y + 6, { width: 360 });
    drawQr(doc, enrolmentLink({ serverUrl: header.serverUrl, code: row.code, caFingerprint: header.caFingerprint }), doc.page.width - 40 - QR_SIDE, y + 4);
    doc.moveTo(50, y + ROW_HEIGHT - 2).lineTo(doc.page.width - 40, y + ROW_HEIGHT - 2).lineWidth(0.5).stroke('#999');
    y += ROW_HEIGHT;
  });
  doc.end();
  return finished;
}

const csvCell = (value: string) => (/[",\n;]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export function enrolmentSheetCsv(header: SheetHeader, rows: SheetRow[]): Buffer {
  const lines = [
    ['Điểm cầu', 'Nhóm', 'Mã đăng ký', 'Liên kết'],
    ...rows.map((r) => [r.point, r.group, r.code, enrolmentLink({ serverUrl: header.serverUrl, code: r.code, caFingerprint: header.caFingerprint })]),
  ];
  // With a BOM, so Excel on a Vietnamese Windows reads it as UTF-8.
  return Buffer.from(`\uFEFF${lines.map((l) => l.map(csvCell).join(',')).join('\r\n')}\r\n`, 'utf8');
}
