// The CMS signature inside a PAdES PDF (ETSI.CAdES.detached, baseline B-B): SignedData over the
// PDF's byte ranges with the signed attributes PAdES asks for (content type, message digest and
// the signing certificate's hash); the signing time travels in the PDF's signature dictionary.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { messageOf } from '../../../lib/errors';
import type { SigningKey } from './keys';
import { OID, buildSignedData, view } from '../../../lib/signedData';

/** The detached PAdES signature over a PDF's byte ranges; with `stamp`, time-stamped (B-T). */
export function buildCms(signedContent: Buffer, key: SigningKey, stamp?: (signatureValue: Buffer) => Promise<Buffer | null>): Promise<Buffer> {
  return buildSignedData({ contentType: OID.data, content: signedContent, encapsulate: false, signerDer: key.certificate, chain: key.chain, sign: (toSign) => key.sign(toSign), stamp });
}

export interface CmsCheck {
  /** The signature matches the content and the certificate in it. */
  valid: boolean;
  certificate: Buffer | null;
  /** Every certificate the signature carries (the signer's and its chain), DER. */
  certificates: Buffer[];
  /** The signature value and the time-stamp token over it, if the signature carries one. */
  signatureValue: Buffer | null;
  timeStampToken: Buffer | null;
  reason: string | null;
}

/** How many bytes the DER structure at the start of `bytes` takes (the rest is padding), or -1. */
export function derLength(bytes: Buffer): number {
  const parsed = asn1js.fromBER(view(bytes));
  return parsed.offset === -1 ? -1 : parsed.offset;
}

export async function verifyCms(cms: Buffer, signedContent: Buffer): Promise<CmsCheck> {
  let signedData: pkijs.SignedData;
  try {
    // The PDF pads the signature with zeros after its end; the parser stops at the end.
    const parsed = asn1js.fromBER(view(cms));
    if (parsed.offset === -1) throw new Error(parsed.result.error);
    signedData = new pkijs.SignedData({ schema: new pkijs.ContentInfo({ schema: parsed.result }).content });
  } catch (error) {
    return { valid: false, certificate: null, certificates: [], signatureValue: null, timeStampToken: null, reason: `unreadable signature: ${messageOf(error)}` };
  }
  // A hostile file may carry no signer at all.
  const signerInfo = signedData.signerInfos.at(0);
  const signatureValue = signerInfo ? Buffer.from(signerInfo.signature.valueBlock.valueHexView) : null;
  const tokenAttribute = signerInfo?.unsignedAttrs?.attributes.find((a) => a.type === OID.signatureTimeStampToken);
  const timeStampToken = tokenAttribute?.values[0] ? Buffer.from((tokenAttribute.values[0] as asn1js.BaseBlock).toBER()) : null;
  const carried = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const certificates = carried.map((c) => Buffer.from(c.toSchema().toBER()));
  const certificate = certificates[0] ?? null;
  try {
    const result = await signedData.verify({
      signer: 0,
      data: view(signedContent).buffer,
      checkChain: false,
      extendedMode: true,
    });
    const signer = result.signerCertificate ? Buffer.from(result.signerCertificate.toSchema().toBER()) : certificate;
    return { valid: result.signatureVerified === true, certificate: signer, certificates, signatureValue, timeStampToken, reason: result.signatureVerified ? null : result.message };
  } catch (error) {
    const message = (error as { message?: string }).message ?? String(error);
    return { valid: false, certificate, certificates, signatureValue, timeStampToken, reason: message };
  }
}
