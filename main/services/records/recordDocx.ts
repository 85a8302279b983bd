// Writes a RecordDocument as a DOCX (the docx library): the file the records office edits and
// files. Times New Roman as the decree asks; where it is absent, Word and LibreOffice substitute
// a metric-compatible face (Liberation Serif), so the layout stays the same.
import {
  type IRunOptions,
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableBorders,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { PAGE_MARGINS_MM } from './recordPdf';
import { type Block, type RecordDocument, type SignatureBlock, agencyLines } from './recordDocument';

const TWIPS_PER_MM = 1440 / 25.4;
const A4 = { width: 11906, height: 16838 };
/** docx sizes are in half-points. */
const BODY = 26;

interface RunStyle {
  bold?: boolean;
  italics?: boolean;
  size?: number;
  underline?: boolean;
}

function para(text: string, style: RunStyle = {}, alignment: (typeof AlignmentType)[keyof typeof AlignmentType] = AlignmentType.CENTER, firstLine = 0, keepNext = false) {
  // Line breaks inside a text become real breaks in Word.
  const runs = text.split('\n').map((line, i) => {
    // Typed as run options: TextRun also takes a plain string, whose deprecated bold() the
    // object's keys would otherwise be checked against.
    const options: IRunOptions = { text: line, break: i > 0 ? 1 : 0, bold: style.bold, italics: style.italics, size: style.size ?? BODY, underline: style.underline ? {} : undefined };
    return new TextRun(options);
  });
  return new Paragraph({ alignment, children: runs, indent: firstLine ? { firstLine } : undefined, spacing: { after: 80 }, keepNext });
}

const plainCell = (children: Paragraph[], percent: number) =>
  new TableCell({ children, width: { size: percent, type: WidthType.PERCENTAGE }, borders: TableBorders.NONE });

function header(record: RecordDocument): Table {
  const left = [
    ...(record.parentAgency ? [para(record.parentAgency.toUpperCase(), { size: 24 })] : []),
    para(agencyLines(record.agency).join('\n'), { bold: true, size: 24 }),
    para('───────', { size: 16 }),
    para(record.number),
  ];
  const right = [
    para('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true, size: 24 }),
    para('Độc lập - Tự do - Hạnh phúc', { bold: true, underline: true }),
    ...(record.placeAndDate ? [para(record.placeAndDate, { italics: true })] : []),
  ];
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: TableBorders.NONE,
    rows: [new TableRow({ children: [plainCell(left, 42), plainCell(right, 58)] })],
  });
}

const line = { style: BorderStyle.SINGLE, size: 4, color: '000000' };

function table(block: Extract<Block, { type: 'table' }>): Table {
  const row = (cells: string[], bold: boolean) =>
    new TableRow({
      tableHeader: bold,
      children: cells.map(
        (text, i) =>
          new TableCell({
            width: { size: Math.round(block.widths[i] * 100), type: WidthType.PERCENTAGE },
            borders: { top: line, bottom: line, left: line, right: line },
            children: [para(text, { bold, size: 24 }, bold ? AlignmentType.CENTER : AlignmentType.LEFT)],
          }),
      ),
    });
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [row(block.header, true), ...block.rows.map((r) => row(r, false))] });
}

/** `keepNext`: the last paragraph goes to the next page with the signatures rather than leave
 * them alone there. */
function body(block: Block, keepNext = false): Paragraph | Table {
  if (block.type === 'table') return table(block);
  if (block.type === 'heading') return para(block.text, { bold: true }, AlignmentType.JUSTIFIED, 0, keepNext);
  return para(block.text, { bold: block.bold, italics: block.italic }, AlignmentType.JUSTIFIED, block.indent ? Math.round(10 * TWIPS_PER_MM) : 0, keepNext);
}

function signature(block: SignatureBlock): Paragraph[] {
  return [
    para(block.title, { bold: true }),
    para('(Ký, ghi rõ họ tên)', { italics: true, size: 24 }),
    ...Array.from({ length: 4 }, () => para('')),
    para(block.name, { bold: true }),
  ];
}

function recipients(list: string[]): Paragraph[] {
  return [
    para('Nơi nhận:', { bold: true, italics: true, size: 24 }, AlignmentType.LEFT),
    ...list.map((r, i) => para(`- ${r.replace(/[.;]$/, '')}${i === list.length - 1 ? '.' : ';'}`, { size: 22 }, AlignmentType.LEFT)),
  ];
}

export function renderRecordDocx(record: RecordDocument): Promise<Buffer> {
  const signatures = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: TableBorders.NONE,
    rows: [
      new TableRow({
        cantSplit: true,
        children: [
          plainCell(record.signatures.left ? signature(record.signatures.left) : recipients(record.recipients), 50),
          plainCell(signature(record.signatures.right), 50),
        ],
      }),
    ],
  });
  const doc = new Document({
    creator: 'Giao Ban',
    title: `${record.title} ${record.subtitle}`,
    styles: { default: { document: { run: { font: 'Times New Roman', size: BODY } } } },
    sections: [
      {
        properties: {
          page: {
            size: A4,
            margin: {
              top: Math.round(PAGE_MARGINS_MM.top * TWIPS_PER_MM),
              bottom: Math.round(PAGE_MARGINS_MM.bottom * TWIPS_PER_MM),
              left: Math.round(PAGE_MARGINS_MM.left * TWIPS_PER_MM),
              right: Math.round(PAGE_MARGINS_MM.right * TWIPS_PER_MM),
            },
          },
        },
        children: [
          header(record),
          para(''),
          para(record.title, { bold: true, size: 28 }),
          para(record.subtitle, { bold: true, size: 28 }),
          para('───────', { size: 16 }),
          ...record.body.map((block, i) => body(block, i === record.body.length - 1)),
          para('', {}, AlignmentType.CENTER, 0, true),
          signatures,
          ...(record.signatures.left ? [para(''), ...recipients(record.recipients)] : []),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
