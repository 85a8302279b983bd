// Signs a record as a PAdES PDF with a visible signature where Decree 30 puts it (the image of
// the chair's signature between "CHỦ TỌA" and the name, in blue), and checks signed PDFs received.
import crypto from 'node:crypto';
import { SignPdf } from '@signpdf/signpdf';
import { DEFAULT_BYTE_RANGE_PLACEHOLDER, Signer } from '@signpdf/utils';
import type { RecordDocument } from '../records/recordDocument';
import { type SignatureBox, renderRecordPdf } from '../records/recordPdf';
import { buildCms } from './cms';
import { commonName, dnField } from './distinguishedName';
import { type SigningKey, checkValidity } from './keys';

/** Room for the CMS (certificate chain included), in bytes; hex doubles it in the file. */
const SIGNATURE_BYTES = 16_384;
const SIGNATURE_BLUE = '#1f3fa8';

class KeySigner extends Signer {
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
    .text(`Ký số bởi: ${signer.name}${signer.organization ? `\nCơ quan: ${signer.organization}` : ''}\nThời gian ký: ${vietnamStamp(at)}`, box.x + 4, y + 3, {
      width: box.width - 8,
      align: 'center',
    })
    .fillColor('black');
}

/** A signature field whose /Contents and /ByteRange @signpdf fills in after the file is written. */
function addSignatureField(pdf: PDFKit.PDFDocument, box: SignatureBox, signer: Certificate, at: Date): void {
  // pdfkit writes a plain string as a PDF name and a String object as a text string.
  const text = (s: string) => new String(s);
  const signature = pdf.ref({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: 'ETSI.CAdES.detached',
    ByteRange: [0, DEFAULT_BYTE_RANGE_PLACEHOLDER, DEFAULT_BYTE_RANGE_PLACEHOLDER, DEFAULT_BYTE_RANGE_PLACEHOLDER],
    Contents: Buffer.alloc(SIGNATURE_BYTES),
    Name: text(signer.name),
    Reason: text('Chủ tọa ký biên bản'),
    M: at,
  });
  const height = pdf.page.height;
  const widget = pdf.ref({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: [box.x, height - box.y - box.height, box.x + box.width, height - box.y],
    V: signature,
    T: text('ChuToa'),
    F: 4,
    P: pdf.page.dictionary,
  });
  (pdf.page as unknown as { annotations: unknown[] }).annotations.push(widget);
  // pdfkit owns the AcroForm it writes at the end; the signature field joins it.
  pdf.initForm();
  const form = (pdf as unknown as { _root: { data: { AcroForm: { data: Record<string, unknown> & { Fields: unknown[] } } } } })._root.data.AcroForm;
  form.data.Fields.push(widget);
  form.data.SigFlags = 3;
  delete form.data.NeedAppearances;
  // @types/pdfkit declares end(chunk); pdfkit's references take none.
  (signature as unknown as { end(): void }).end();
  (widget as unknown as { end(): void }).end();
}

/** Signs the record; with `stamp` (the briefing server's time-stamp authority), as PAdES B-T. */
export async function signRecordPdf(
  record: RecordDocument,
  key: SigningKey,
  options: { at: Date; image?: Buffer | null; stamp?: (signatureValue: Buffer) => Promise<Buffer | null> },
): Promise<Buffer> {
  checkValidity(key.certificate, options.at);
  const signer = describeCertificate(key.certificate);
  const unsigned = await renderRecordPdf(record, {
    info: { author: signer.name },
    signatureSlot: (pdf, box) => {
      drawSignature(pdf, box, signer, options.at, options.image ?? null);
      addSignatureField(pdf, box, signer, options.at);
    },
  });
  return new SignPdf().sign(unsigned, new KeySigner(key, options.stamp), options.at);
}
