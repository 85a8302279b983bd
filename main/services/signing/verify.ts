// Checks a signed record as a careful records officer would: is it signed, are the signed bytes
// exactly what was signed (the /Contents holds the signature's DER and zero padding only, and
// nothing follows the signed ranges), and does the signer's certificate lead to a certification
// authority this PC trusts? A certificate anyone can make in a minute, named like the chair,
// verifies as a signature but not as trusted.
import { X509Certificate } from 'node:crypto';
import { type Certificate, describeCertificate } from './pades';
import { derLength, verifyCms } from './cms';
import { commonName } from './distinguishedName';
import { type StampedTime, checkTimeStampToken } from './timeStamp';

export interface SignatureCheck {
  signed: boolean;
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
export function trustedAuthority(signerDer: Buffer, carried: Buffer[], trusted: readonly Buffer[], at: string): string | null {
  const anchors = trusted.map((der) => new X509Certificate(der));
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

/** Checks the last signature of a PDF against the CAs this PC trusts. */
export async function verifySignedPdf(pdf: Buffer, trusted: readonly Buffer[] = []): Promise<SignatureCheck> {
  const unsigned: SignatureCheck = {
    signed: false,
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
  const at = pdf.lastIndexOf('/ByteRange [');
  if (at === -1) return unsigned;
  const match = /^\/ByteRange \[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(pdf.subarray(at, at + 80).toString('latin1'));
  if (!match) return unsigned;
  const [start, firstLength, secondStart, secondLength] = match.slice(1).map(Number);
  const changed: SignatureCheck = { ...unsigned, signed: true, problem: 'modified' };
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
  // The signing time is the /M of the same signature dictionary, around its /ByteRange and /Contents.
  const dictionary = pdf.subarray(Math.max(0, at - 2000), secondStart + 2000).toString('latin1');
  const dateMatch = /\/M \(D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z?/.exec(dictionary);
  const signedAt = dateMatch ? new Date(`${dateMatch[1]}-${dateMatch[2]}-${dateMatch[3]}T${dateMatch[4]}:${dateMatch[5]}:${dateMatch[6]}Z`).toISOString() : null;
  const when = signedAt ?? new Date().toISOString();
  const certificateValidAtSigning = !!signer && signer.validFrom <= when && when <= signer.validTo;
  // Any byte after the signed range is a change made after signing (an incremental update).
  const appended = secondStart + secondLength !== pdf.length;
  const problem = !check.valid ? (check.certificate ? 'modified' : 'bad_signature') : appended ? 'appended' : null;
  if (problem) return { ...unsigned, signed: true, signer, signedAt, certificateValidAtSigning, problem };
  // A time-stamp that does not stamp this signature is no time-stamp: the signature is B-B.
  const timestamp = check.timeStampToken && check.signatureValue ? await checkTimeStampToken(check.timeStampToken, check.signatureValue) : null;
  const time = timestamp?.time ?? when;
  const authority = check.certificate ? trustedAuthority(check.certificate, check.certificates, trusted, time) : null;
  const validWhenStamped = !!signer && signer.validFrom <= time && time <= signer.validTo;
  return {
    signed: true,
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
