// CMS SignedData as both sides make it: the desktop's signature over a record's bytes (detached,
// PAdES) and the server's time-stamp token over a TSTInfo (encapsulated). The signed attributes
// are the ones PAdES and RFC 3161 ask for: content type, message digest, and the signing
// certificate's hash (ESS signing-certificate-v2), which binds the signature to that certificate.
// Shared library code: neither side's application code lives here.
import crypto from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
} as const;

export const sha256 = (data: Uint8Array) => crypto.createHash('sha256').update(data).digest();
/** A copy in a plain ArrayBuffer, the form asn1js and pkijs take. */
export const view = (data: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(data);

/** ESS signing-certificate-v2 (SHA-256 is its default hash, so it is left out). */
function signingCertificateV2(certificate: pkijs.Certificate, der: Buffer): asn1js.Sequence {
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [certificate.issuer.toSchema()] })] }),
      new asn1js.Integer({ valueHex: certificate.serialNumber.valueBlock.valueHexView }),
    ],
  });
  const essCertIdV2 = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: view(sha256(der)) }), issuerSerial] });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

export interface SignedDataInput {
  contentType: string;
  content: Buffer;
  /** Carry the content inside (a time-stamp token) or leave it detached (a PDF signature). */
  encapsulate: boolean;
  signerDer: Buffer;
  /** Certificates to carry besides the signer's. */
  chain?: Buffer[];
  includeSignerCertificate?: boolean;
  /** RSA-SHA256 over the DER of the signed attributes. */
  sign: (toSign: Buffer) => Buffer;
  /** A time-stamp token over the signature value, added as an unsigned attribute when it comes. */
  stamp?: (signatureValue: Buffer) => Promise<Buffer | null>;
}

/** The ContentInfo holding the SignedData, as DER. */
export async function buildSignedData(input: SignedDataInput): Promise<Buffer> {
  const certificate = pkijs.Certificate.fromBER(view(input.signerDer));
  const attributes = [
    new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: input.contentType })] }),
    new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: view(sha256(input.content)) })] }),
    new pkijs.Attribute({ type: OID.signingCertificateV2, values: [signingCertificateV2(certificate, input.signerDer)] }),
  ];
  // DER orders a SET OF by the encodings of its members.
  attributes.sort((a, b) => Buffer.compare(Buffer.from(a.toSchema().toBER()), Buffer.from(b.toSchema().toBER())));
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes });
  // The signature covers the attributes encoded as a SET (tag 0x31), not as the [0] they travel in.
  const toSign = Buffer.from(signedAttrs.toSchema().toBER());
  toSign[0] = 0x31;
  const signatureValue = input.sign(toSign);
  const token = input.stamp ? await input.stamp(signatureValue) : null;
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
    signedAttrs,
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRsa, algorithmParams: new asn1js.Null() }),
    signature: new asn1js.OctetString({ valueHex: view(signatureValue) }),
    ...(token
      ? { unsignedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 1, attributes: [new pkijs.Attribute({ type: OID.signatureTimeStampToken, values: [asn1js.fromBER(view(token)).result] })] }) }
      : {}),
  });
  const certificates = [...(input.includeSignerCertificate === false ? [] : [certificate]), ...(input.chain ?? []).map((der) => pkijs.Certificate.fromBER(view(der)))];
  const signedData = new pkijs.SignedData({
    version: input.encapsulate ? 3 : 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: input.contentType,
      ...(input.encapsulate ? { eContent: new asn1js.OctetString({ valueHex: view(input.content) }) } : {}),
    }),
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 })],
    certificates: certificates.length ? certificates : undefined,
    signerInfos: [signerInfo],
  });
  return Buffer.from(new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) }).toSchema().toBER());
}
