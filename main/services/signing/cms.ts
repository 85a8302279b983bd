// The CMS signature inside a PAdES PDF (ETSI.CAdES.detached, baseline B-B): SignedData over the
// PDF's byte ranges with the signed attributes PAdES asks for (content type, message digest and
// the signing certificate's hash); the signing time travels in the PDF's signature dictionary.
import crypto from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { SigningKey } from './keys';
import { SIGNATURE_TIME_STAMP_TOKEN } from './timeStamp';

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
};

const sha256 = (data: Uint8Array) => crypto.createHash('sha256').update(data).digest();
/** A copy in a plain ArrayBuffer, the form asn1js and pkijs take. */
const view = (data: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(data);

/** ESS signing-certificate-v2: binds the signature to this very certificate. */
function signingCertificateV2(certificate: pkijs.Certificate, der: Buffer): asn1js.Sequence {
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [certificate.issuer.toSchema()] })],
      }),
      new asn1js.Integer({ valueHex: certificate.serialNumber.valueBlock.valueHexView }),
    ],
  });
  // The hash algorithm is left out: SHA-256 is its default.
  const essCertIdV2 = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: view(sha256(der)) }), issuerSerial] });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

/** The signature over `signedContent`; with `stamp`, the signature value is time-stamped and the
 * token added as an unsigned attribute (PAdES B-T), or left out when none comes (B-B). */
export async function buildCms(signedContent: Buffer, key: SigningKey, stamp?: (signatureValue: Buffer) => Promise<Buffer | null>): Promise<Buffer> {
  const certificate = pkijs.Certificate.fromBER(view(key.certificate));
  const attributes = [
    new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
    new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: view(sha256(signedContent)) })] }),
    new pkijs.Attribute({ type: OID.signingCertificateV2, values: [signingCertificateV2(certificate, key.certificate)] }),
  ];
  // DER orders a SET OF by the encodings of its members.
  attributes.sort((a, b) => Buffer.compare(Buffer.from(a.toSchema().toBER()), Buffer.from(b.toSchema().toBER())));
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes });
  // The signature covers the attributes encoded as a SET (tag 0x31), not as the [0] they travel in.
  const toSign = Buffer.from(signedAttrs.toSchema().toBER());
  toSign[0] = 0x31;
  const signatureValue = key.sign(toSign);
  const token = stamp ? await stamp(signatureValue) : null;
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
    signedAttrs,
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRsa, algorithmParams: new asn1js.Null() }),
    signature: new asn1js.OctetString({ valueHex: view(signatureValue) }),
    ...(token
      ? {
          unsignedAttrs: new pkijs.SignedAndUnsignedAttributes({
            type: 1,
            attributes: [new pkijs.Attribute({ type: SIGNATURE_TIME_STAMP_TOKEN, values: [asn1js.fromBER(view(token)).result] })],
          }),
        }
      : {}),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 })],
    certificates: [certificate, ...key.chain.map((der) => pkijs.Certificate.fromBER(view(der)))],
    signerInfos: [signerInfo],
  });
  const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
  return Buffer.from(contentInfo.toSchema().toBER());
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
    return { valid: false, certificate: null, certificates: [], signatureValue: null, timeStampToken: null, reason: `unreadable signature: ${(error as Error).message}` };
  }
  const signerInfo = signedData.signerInfos[0];
  const signatureValue = signerInfo ? Buffer.from(signerInfo.signature.valueBlock.valueHexView) : null;
  const tokenAttribute = signerInfo?.unsignedAttrs?.attributes.find((a) => a.type === SIGNATURE_TIME_STAMP_TOKEN);
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
