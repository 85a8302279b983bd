// Checks a signed record as a careful records officer would: is it signed, are the signed bytes
// exactly what was signed (the /Contents holds the signature's DER and zero padding only, and
// nothing follows the signed ranges), and does the signer's certificate lead to a certification
// authority this PC trusts? A certificate anyone can make in a minute, named like the chair,
// verifies as a signature but not as trusted. Minutes carry two signatures: the secretary's, and
// the chair's countersignature made as an incremental update that may only fill the chair's field.
import { X509Certificate } from 'node:crypto';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFString } from '@cantoo/pdf-lib';
import { signatureWidgets } from './countersign';
import { CHAIR_FIELD, type Certificate, SECRETARY_FIELD, type SignerRole, describeCertificate } from './pades';
import { derLength, verifyCms } from './cms';
import { commonName } from './distinguishedName';
import { type StampedTime, checkTimeStampToken } from './timeStamp';
import { isTimeStampAuthority } from './TrustedAuthorities';

export interface SignatureCheck {
  signed: boolean;
  /** Whose field the signature fills: the secretary's (THƯ KÝ) or the chair's (CHỦ TỌA). */
  role: SignerRole | null;
  /** The signature matches the signed bytes, and no byte outside them was changed or added. */
  intact: boolean;
  signer: Certificate | null;
  signedAt: string | null;
  /** The certificate was valid when the file was signed. */
  certificateValidAtSigning: boolean;
  /** trusted: the signer's chain ends at a CA this PC trusts; untrusted: it does not (self-made
   * or unknown CA); null when there is no intact signature to judge. */
  trust: 'trusted' | 'untrusted' | null;
  /** The trusted CA the chain ends at. */
  authority: string | null;
  /** B-T: the signature carries a sound time-stamp over itself (its time is the stamp's, not the
   * signing PC's); B-B: it does not. */
  level: 'B-T' | 'B-B' | null;
  timestamp: StampedTime | null;
  problem: 'not_signed' | 'modified' | 'appended' | 'bad_signature' | null;
}

const validAt = (cert: X509Certificate, at: string) => Date.parse(cert.validFrom) <= Date.parse(at) && Date.parse(at) <= Date.parse(cert.validTo);

/** Walks from the signer up through the certificates the signature carries to a trusted CA, each
 * link checked by its issuer's signature and valid at the signing time; the CA's name, or null. */
export function trustedAuthority(signerDer: Buffer, carried: Buffer[], trusted: readonly Buffer[], at: string, purpose: 'signing' | 'timestamping' = 'signing'): string | null {
  // A time-stamp authority's own certificate is an anchor for the times it stamps only.
  const anchors = trusted.map((der) => new X509Certificate(der)).filter((a) => a.ca || (purpose === 'timestamping' && isTimeStampAuthority(a)));
  const intermediates = carried.map((der) => new X509Certificate(der)).filter((c) => c.ca);
  let current = new X509Certificate(signerDer);
  for (let depth = 0; depth < 6; depth++) {
    if (!validAt(current, at)) return null;
    if (anchors.some((a) => a.fingerprint256 === current.fingerprint256)) return commonName(current.subject);
    const anchor = anchors.find((a) => current.checkIssued(a) && current.verify(a.publicKey) && validAt(a, at));
    if (anchor) return commonName(anchor.subject);
    const next = intermediates.find((c) => c.fingerprint256 !== current.fingerprint256 && current.checkIssued(c) && current.verify(c.publicKey));
    if (!next) return null;
    current = next;
  }
  return null;
}

export const NOT_SIGNED: SignatureCheck = {
  signed: false,
  role: null,
  intact: false,
  signer: null,
  signedAt: null,
  certificateValidAtSigning: false,
  trust: null,
  authority: null,
  level: null,
  timestamp: null,
  problem: 'not_signed',
};

/** Every signature of a PDF, in the order they were made (the secretary's, then the chair's). A
 * signature whose bytes were followed by an update is intact only if a later intact signature
 * covers the whole file and the update did no more than fill empty signature fields. */
export async function verifySignatures(pdf: Buffer, trusted: readonly Buffer[] = []): Promise<SignatureCheck[]> {
  const doc = await loadPdf(pdf);
  // What a PDF reader cannot open is not a record anyone can rely on; if it was meant to be signed, it was changed.
  if (!doc) return pdf.includes('/ByteRange') ? [{ ...NOT_SIGNED, signed: true, problem: 'modified' }] : [];
  const fields = signatureWidgets(doc).flatMap(({ name, dict }) => {
    const value = dict.lookupMaybe(PDFName.of('V'), PDFDict);
    return value ? [{ role: roleOf(name), value }] : [];
  });
  // Each signature is checked against its own revision: the file as it was when it was made.
  const ends = fields.map(({ value }) => rangeOf(value)).map((r) => (r ? r[2] + r[3] : -1));
  const checks = await Promise.all(
    fields.map(({ role, value }, i) => checkSignature(ends[i] > 0 && ends[i] <= pdf.length ? pdf.subarray(0, ends[i]) : pdf, value, trusted).then((c) => ({ ...c, role }))),
  );
  const coversAll = checks.some((c, i) => c.intact && ends[i] === pdf.length);
  const result: SignatureCheck[] = [];
  for (const i of checks.map((_, i) => i).sort((a, b) => ends[a] - ends[b])) {
    const later = checks[i].intact && ends[i] < pdf.length;
    if (later && !(coversAll && (await onlyFillsSignatureFields(pdf.subarray(0, ends[i]), doc)))) {
      result.push({ ...NOT_SIGNED, signed: true, role: checks[i].role, signer: checks[i].signer, signedAt: checks[i].signedAt, problem: 'appended' });
    } else result.push(checks[i]);
  }
  return result;
}

/** The record as a whole: its first broken signature, else the last made, else "not signed". */
export function overallCheck(checks: readonly SignatureCheck[]): SignatureCheck {
  return checks.find((c) => !c.intact) ?? checks.at(-1) ?? NOT_SIGNED;
}

export async function verifySignedPdf(pdf: Buffer, trusted: readonly Buffer[] = []): Promise<SignatureCheck> {
  return overallCheck(await verifySignatures(pdf, trusted));
}

const roleOf = (field: string): SignerRole | null => (field === SECRETARY_FIELD ? 'secretary' : field === CHAIR_FIELD ? 'chair' : null);

async function loadPdf(bytes: Buffer): Promise<PDFDocument | null> {
  try {
    return await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
  } catch {
    return null;
  }
}

function rangeOf(value: PDFDict): [number, number, number, number] | null {
  const range = value.lookupMaybe(PDFName.of('ByteRange'), PDFArray);
  if (!range || range.size() !== 4) return null;
  const numbers = range.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : NaN));
  return numbers.every((n) => Number.isInteger(n) && n >= 0) ? [numbers[0], numbers[1], numbers[2], numbers[3]] : null;
}

/** An earlier revision's objects are all unchanged in the file, except empty signature fields
 * that were filled (given /V and /AP and nothing else), and the document root is the same. */
async function onlyFillsSignatureFields(revision: Buffer, now: PDFDocument): Promise<boolean> {
  const before = await loadPdf(revision);
  if (!before) return false;
  if (String(before.context.trailerInfo.Root) !== String(now.context.trailerInfo.Root)) return false;
  const empty = new Set(signatureWidgets(before).filter(({ dict }) => !dict.has(PDFName.of('V'))).map(({ ref }) => ref.toString()));
  for (const [ref, old] of before.context.enumerateIndirectObjects()) {
    const current = now.context.lookup(ref);
    if (!current) return false;
    if (current.toString() === old.toString()) continue;
    if (!empty.has(ref.toString()) || !(old instanceof PDFDict) || !(current instanceof PDFDict)) return false;
    const filled = new Set(['V', 'AP']);
    for (const key of current.keys()) if (!filled.has(key.decodeText()) && String(current.get(key)) !== String(old.get(key))) return false;
    for (const key of old.keys()) if (!current.has(key)) return false;
  }
  return true;
}

/** One signature against the revision it signed (`pdf` ends where its ranges end): its bytes,
 * its CMS, its time-stamp and its signer's trust. */
async function checkSignature(pdf: Buffer, value: PDFDict, trusted: readonly Buffer[]): Promise<SignatureCheck> {
  const range = rangeOf(value);
  const changed: SignatureCheck = { ...NOT_SIGNED, signed: true, problem: 'modified' };
  if (!range) return changed;
  const [start, firstLength, secondStart, secondLength] = range;
  if (start !== 0 || secondStart <= firstLength + 1 || secondStart + secondLength > pdf.length) return changed;
  // The gap between the ranges is exactly <hex>: the signature, then zeros to fill its room.
  if (pdf[firstLength] !== 0x3c || pdf[secondStart - 1] !== 0x3e) return changed;
  const hex = pdf.subarray(firstLength + 1, secondStart - 1).toString('latin1');
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2) return changed;
  const contents = Buffer.from(hex, 'hex');
  const used = derLength(contents);
  if (used <= 0 || contents.subarray(used).some((b) => b !== 0)) return changed;

  const signedContent = Buffer.concat([pdf.subarray(0, firstLength), pdf.subarray(secondStart, secondStart + secondLength)]);
  const check = await verifyCms(contents.subarray(0, used), signedContent);
  const signer = check.certificate ? describeCertificate(check.certificate) : null;
  const date = value.lookupMaybe(PDFName.of('M'), PDFString, PDFHexString)?.decodeDate();
  const signedAt = date && !Number.isNaN(date.getTime()) ? date.toISOString() : null;
  const when = signedAt ?? new Date().toISOString();
  const certificateValidAtSigning = !!signer && signer.validFrom <= when && when <= signer.validTo;
  const problem = !check.valid ? (check.certificate ? 'modified' : 'bad_signature') : secondStart + secondLength !== pdf.length ? 'modified' : null;
  if (problem) return { ...NOT_SIGNED, signed: true, signer, signedAt, certificateValidAtSigning, problem };
  // A time-stamp that does not stamp this signature is no time-stamp: the signature is B-B.
  const stamped = check.timeStampToken && check.signatureValue ? await checkTimeStampToken(check.timeStampToken, check.signatureValue) : null;
  const timestamp: StampedTime | null = stamped && {
    time: stamped.time,
    authority: stamped.authority,
    trusted: !!trustedAuthority(stamped.certificate, stamped.carried, trusted, stamped.time, 'timestamping'),
  };
  const time = timestamp?.time ?? when;
  const authority = check.certificate ? trustedAuthority(check.certificate, check.certificates, trusted, time) : null;
  const validWhenStamped = !!signer && signer.validFrom <= time && time <= signer.validTo;
  return {
    signed: true,
    role: null,
    intact: true,
    signer,
    signedAt,
    certificateValidAtSigning: timestamp ? validWhenStamped : certificateValidAtSigning,
    trust: authority ? 'trusted' : 'untrusted',
    authority,
    level: timestamp ? 'B-T' : 'B-B',
    timestamp,
    problem: null,
  };
}
