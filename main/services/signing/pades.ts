// Signs a record as a PAdES PDF with a visible signature where Decree 30 puts it (the image of
// the signature between the signer's title and name, in blue). Minutes are signed by the
// secretary first (under THƯ KÝ, leaving an empty field under CHỦ TỌA that the chair's
// countersignature fills, see countersign.ts), or by the chair alone where the host unit's rule
// says so; the conclusions notice by the chair.
import crypto from 'node:crypto';
import { SignPdf } from '@signpdf/signpdf';
import { DEFAULT_BYTE_RANGE_PLACEHOLDER, Signer } from '@signpdf/utils';
import type { RecordDocument } from '../records/recordDocument';
import PDFDocument from 'pdfkit';
import { type SignatureBox, pdfBytes, recordFonts, renderRecordPdf } from '../records/recordPdf';
import { buildCms } from './cms';
import { commonName, dnField } from './distinguishedName';
import { type SigningKey, checkValidity } from './keys';

/** Room for the CMS (certificate chain included), in bytes; hex doubles it in the file. */
export const SIGNATURE_BYTES = 16_384;
const SIGNATURE_BLUE = '#1f3fa8';

export class KeySigner extends Signer {
  constructor(
    private readonly key: SigningKey,
    private readonly stamp?: (signatureValue: Buffer) => Promise<Buffer | null>,
  ) {
    super();
  }
  override async sign(content: Buffer): Promise<Buffer> {
    return buildCms(content, this.key, this.stamp);
  }
}

export interface Certificate {
  subject: string;
  /** The holder's name (CN) and organisation (O), as the UI shows them. */
  name: string;
  organization: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  sha256: string;
}

export function describeCertificate(der: Buffer): Certificate {
  const cert = new crypto.X509Certificate(der);
  return {
    subject: cert.subject,
    name: dnField(cert.subject, 'CN'),
    organization: dnField(cert.subject, 'O'),
    issuer: commonName(cert.issuer),
    validFrom: new Date(cert.validFrom).toISOString(),
    validTo: new Date(cert.validTo).toISOString(),
    sha256: cert.fingerprint256,
  };
}

function vietnamStamp(at: Date): string {
  const d = new Date(at.getTime() + 7 * 3600_000).toISOString();
  return `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)} ${d.slice(11, 19)} +07:00`;
}

function drawSignature(pdf: PDFKit.PDFDocument, box: SignatureBox, signer: Certificate, at: Date, image: Buffer | null): void {
  let y = box.y;
  const imageHeight = box.height - 34;
  if (image) pdf.image(image, box.x, y, { fit: [box.width, imageHeight], align: 'center', valign: 'center' });
  // Without a signature image, the name in blue stands where the hand signature would be.
  else pdf.font('italic').fontSize(16).fillColor(SIGNATURE_BLUE).text(signer.name, box.x, y + imageHeight / 2 - 10, { width: box.width, align: 'center' });
  y += imageHeight;
  pdf.save().lineWidth(0.6).strokeColor(SIGNATURE_BLUE).rect(box.x, y, box.width, box.y + box.height - y).stroke().restore();
  pdf
    .font('regular')
    .fontSize(8.5)
    .fillColor(SIGNATURE_BLUE)
    .text(signatureLines(signer, at).join('\n'), box.x + 4, y + 3, {
      width: box.width - 8,
      align: 'center',
    })
    .fillColor('black');
}

/** A visible signature alone on a page of its own size, for a countersignature's appearance. */
export function renderSignatureAppearance(size: { width: number; height: number }, signer: Certificate, at: Date, image: Buffer | null): Promise<Buffer> {
  const pdf = new PDFDocument({ size: [size.width, size.height], margin: 0 });
  const finished = pdfBytes(pdf);
  const fonts = recordFonts();
  pdf.registerFont('regular', fonts.regular);
  pdf.registerFont('italic', fonts.italic);
  // Inset by half a point, so the frame's stroke is not cut at the field's edge.
  drawSignature(pdf, { x: 0.5, y: 0.5, width: size.width - 1, height: size.height - 1 }, signer, at, image);
  pdf.end();
  return finished;
}

/** The words under a visible signature: who signed, for which agency, and when (Vietnam time). */
export function signatureLines(signer: Certificate, at: Date): string[] {
  return [`Ký số bởi: ${signer.name}`, ...(signer.organization ? [`Cơ quan: ${signer.organization}`] : []), `Thời gian ký: ${vietnamStamp(at)}`];
}

export type SignerRole = 'secretary' | 'chair';
/** The signature fields' names: the secretary's, and the chair's (the one a countersignature fills). */
export const SECRETARY_FIELD = 'ThuKy';
export const CHAIR_FIELD = 'ChuToa';
const FIELD: Record<SignerRole, { name: string; reason: string }> = {
  secretary: { name: SECRETARY_FIELD, reason: 'Thư ký ký biên bản' },
  chair: { name: CHAIR_FIELD, reason: 'Chủ tọa ký biên bản' },
};

/** A signature field for `role`; with `signer`, signed now (@signpdf fills its /Contents and
 * /ByteRange after the file is written), without, left empty for a countersignature. */
function addSignatureField(pdf: PDFKit.PDFDocument, box: SignatureBox, role: SignerRole, signed: { signer: Certificate; at: Date } | null): void {
  // pdfkit writes a plain string as a PDF name and a String object as a text string.
  const text = (s: string) => new String(s);
  const signature = signed
    ? pdf.ref({
        Type: 'Sig',
        Filter: 'Adobe.PPKLite',
        SubFilter: 'ETSI.CAdES.detached',
        ByteRange: [0, DEFAULT_BYTE_RANGE_PLACEHOLDER, DEFAULT_BYTE_RANGE_PLACEHOLDER, DEFAULT_BYTE_RANGE_PLACEHOLDER],
        Contents: Buffer.alloc(SIGNATURE_BYTES),
        Name: text(signed.signer.name),
        Reason: text(FIELD[role].reason),
        M: signed.at,
      })
    : null;
  const height = pdf.page.height;
  const widget = pdf.ref({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: [box.x, height - box.y - box.height, box.x + box.width, height - box.y],
    ...(signature ? { V: signature } : {}),
    T: text(FIELD[role].name),
    F: 4,
    P: pdf.page.dictionary,
  });
  (pdf.page as unknown as { annotations: unknown[] }).annotations.push(widget);
  // pdfkit owns the AcroForm it writes at the end; the signature field joins it. A second
  // initForm would leave the first form unwritten and the document never ending.
  const root = (pdf as unknown as { _root: { data: { AcroForm?: { data: Record<string, unknown> & { Fields: unknown[] } } } } })._root;
  if (!root.data.AcroForm) pdf.initForm();
  const form = root.data.AcroForm;
  if (!form) throw new Error('pdfkit made no AcroForm');
  form.data.Fields.push(widget);
  form.data.SigFlags = 3;
  delete form.data.NeedAppearances;
  // @types/pdfkit declares end(chunk); pdfkit's references take none.
  if (signature) (signature as unknown as { end(): void }).end();
  (widget as unknown as { end(): void }).end();
}

/** Signs the record as `role` (the chair unless said); with `stamp` (the briefing server's
 * time-stamp authority), as PAdES B-T. The secretary signs only minutes, and leaves the chair's
 * field empty for the countersignature. */
export async function signRecordPdf(
  record: RecordDocument,
  key: SigningKey,
  options: { at: Date; as?: SignerRole; image?: Buffer | null; stamp?: (signatureValue: Buffer) => Promise<Buffer | null> },
): Promise<Buffer> {
  checkValidity(key.certificate, options.at);
  const signer = describeCertificate(key.certificate);
  const role = options.as ?? 'chair';
  const unsigned = await renderRecordPdf(record, {
    info: { author: signer.name },
    signatureSlot: (pdf, boxes) => {
      const box = role === 'secretary' ? boxes.left : boxes.right;
      if (!box) throw new Error('this record has no place for the secretary to sign');
      drawSignature(pdf, box, signer, options.at, options.image ?? null);
      addSignatureField(pdf, box, role, { signer, at: options.at });
      if (role === 'secretary') addSignatureField(pdf, boxes.right, 'chair', null);
    },
  });
  return new SignPdf().sign(unsigned, new KeySigner(key, options.stamp), options.at);
}
