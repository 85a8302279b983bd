// The chair's countersignature on minutes the secretary signed first: an incremental update that
// fills the empty CHỦ TỌA field the secretary's file already holds (its appearance drawn in the
// field, looking like the secretary's), so the bytes the secretary signed stay exactly
// as they were and her signature keeps verifying. pdf-lib (Cantoo's fork) writes the update.
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString } from '@cantoo/pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { DEFAULT_BYTE_RANGE_PLACEHOLDER } from '@signpdf/utils';
import { type SigningKey, checkValidity } from './keys';
import { CHAIR_FIELD, KeySigner, SIGNATURE_BYTES, describeCertificate, renderSignatureAppearance } from './pades';

export class CountersignError extends Error {
  constructor(
    readonly code: 'no_chair_field' | 'already_countersigned' | 'unreadable',
    message: string,
  ) {
    super(message);
  }
}

/** Every signature field of a PDF (two may share a name in a hostile file: none is hidden), read
 * without changing anything. */
export function signatureWidgets(doc: PDFDocument): { name: string; ref: PDFRef; dict: PDFDict }[] {
  const widgets: { name: string; ref: PDFRef; dict: PDFDict }[] = [];
  const form = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  const fields = form?.lookupMaybe(PDFName.of('Fields'), PDFArray);
  for (const ref of fields?.asArray() ?? []) {
    if (!(ref instanceof PDFRef)) continue;
    const dict = doc.context.lookupMaybe(ref, PDFDict);
    if (dict?.get(PDFName.of('FT')) !== PDFName.of('Sig')) continue;
    const name = dict.lookupMaybe(PDFName.of('T'), PDFString, PDFHexString)?.decodeText();
    widgets.push({ name: name ?? '', ref, dict });
  }
  return widgets;
}

/** Countersigns `signed` (the secretary's minutes) for the chair; with `stamp`, as PAdES B-T. */
export async function countersignRecordPdf(
  signed: Buffer,
  key: SigningKey,
  options: { at: Date; image?: Buffer | null; stamp?: (signatureValue: Buffer) => Promise<Buffer | null> },
): Promise<Buffer> {
  checkValidity(key.certificate, options.at);
  const signer = describeCertificate(key.certificate);
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(signed, { updateMetadata: false });
  } catch (error) {
    throw new CountersignError('unreadable', `the signed minutes cannot be read: ${(error as Error).message}`);
  }
  const field = signatureWidgets(doc).find((w) => w.name === CHAIR_FIELD);
  if (!field) throw new CountersignError('no_chair_field', 'these minutes leave no place for the chair to sign');
  if (field.dict.has(PDFName.of('V'))) throw new CountersignError('already_countersigned', 'the chair has already signed these minutes');

  const snapshot = doc.takeSnapshot();
  // The appearance is drawn by the same code as the secretary's (pdfkit, with its font subset),
  // as a page the size of the field, then brought in as the field's form XObject.
  const rect = field.dict.lookup(PDFName.of('Rect'), PDFArray).asRectangle();
  const drawn = await renderSignatureAppearance({ width: rect.width, height: rect.height }, signer, options.at, options.image ?? null);
  const [appearance] = await doc.embedPdf(drawn, [0]);

  // The placeholder @signpdf fills once the update is written: the same shape it looks for.
  const placeholder = PDFName.of(DEFAULT_BYTE_RANGE_PLACEHOLDER);
  const signature = doc.context.register(
    doc.context.obj({
      Type: 'Sig',
      Filter: 'Adobe.PPKLite',
      SubFilter: 'ETSI.CAdES.detached',
      ByteRange: [PDFNumber.of(0), placeholder, placeholder, placeholder],
      Contents: PDFHexString.of('0'.repeat(SIGNATURE_BYTES * 2)),
      Name: PDFHexString.fromText(signer.name),
      Reason: PDFHexString.fromText('Chủ tọa ký biên bản'),
      M: PDFString.fromDate(options.at),
    }),
  );
  field.dict.set(PDFName.of('V'), signature);
  field.dict.set(PDFName.of('AP'), doc.context.obj({ N: appearance.ref }));
  snapshot.markRefForSave(field.ref);
  const update = await doc.saveIncremental(snapshot, { useObjectStreams: false });
  const unsignedUpdate = Buffer.concat([signed, Buffer.from(update)]);
  return new SignPdf().sign(unsignedUpdate, new KeySigner(key, options.stamp), options.at);
}
