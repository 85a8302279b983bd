// PAdES B-T: the signature value is stamped by the briefing server's time-stamp authority
// (RFC 3161), and the token travels in the signature as an unsigned attribute. Offline, the
// signature stays B-B (its time is the signing PC's own) and the app says so.
import crypto from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { catalogFetch } from '../catalog/CatalogClient';
import { commonName } from './distinguishedName';

import { OID, sha256, view } from '../../../lib/signedData';

const SHA256 = OID.sha256;

export interface StampedTime {
  /** The time the authority stamped. */
  time: string;
  /** The authority's name (its certificate's CN). */
  authority: string;
  /** The authority's certificate leads to one this PC trusts (a CA, or the TSA's own, imported). */
  trusted: boolean;
}

/** Asks the server to stamp `signatureValue`; the token (DER ContentInfo), or null when the
 * server cannot be reached or refuses (the signature is then B-B). */
export async function requestTimeStamp(serverUrl: string, token: string, signatureValue: Buffer): Promise<Buffer | null> {
  const nonce = crypto.randomBytes(8);
  nonce[0] &= 0x7f;
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256 }),
      hashedMessage: new asn1js.OctetString({ valueHex: view(sha256(signatureValue)) }),
    }),
    nonce: new asn1js.Integer({ valueHex: view(nonce) }),
    certReq: true,
  });
  try {
    const response = await catalogFetch(serverUrl, 'timeStamp', {
      params: {},
      token,
      headers: { 'content-type': 'application/timestamp-query' },
      rawBody: view(Buffer.from(request.toSchema().toBER())),
      timeoutMs: 10_000,
    });
    const answer = pkijs.TimeStampResp.fromBER(view(Buffer.from(await response.arrayBuffer())));
    if (answer.status.status !== pkijs.PKIStatus.granted || !answer.timeStampToken) return null;
    const tokenDer = Buffer.from(answer.timeStampToken.toSchema().toBER());
    // The token must stamp this very signature, and answer this very request.
    const stamped = await checkTimeStampToken(tokenDer, signatureValue);
    const info = tstInfoOf(answer.timeStampToken);
    if (!stamped || !info.nonce || Buffer.compare(Buffer.from(info.nonce.valueBlock.valueHexView), nonce) !== 0) return null;
    return tokenDer;
  } catch {
    return null;
  }
}

function tstInfoOf(token: pkijs.ContentInfo): pkijs.TSTInfo {
  const signedData = new pkijs.SignedData({ schema: token.content });
  const content = signedData.encapContentInfo.eContent;
  if (!content) throw new Error('a time-stamp token without its TSTInfo');
  return pkijs.TSTInfo.fromBER(view(Buffer.from(content.getValue())));
}

/** The stamped time and authority, if the token is sound and stamps exactly `signatureValue`
 * (with the authority's certificate and those the token carries, for the caller to judge trust). */
export async function checkTimeStampToken(tokenDer: Buffer, signatureValue: Buffer): Promise<(Omit<StampedTime, 'trusted'> & { certificate: Buffer; carried: Buffer[] }) | null> {
  try {
    const token = pkijs.ContentInfo.fromBER(view(tokenDer));
    const info = tstInfoOf(token);
    const imprint = Buffer.from(info.messageImprint.hashedMessage.valueBlock.valueHexView);
    if (info.messageImprint.hashAlgorithm.algorithmId !== SHA256 || !imprint.equals(sha256(signatureValue))) return null;
    const signedData = new pkijs.SignedData({ schema: token.content });
    // For a TSTInfo, pkijs checks the imprint against the stamped data too.
    const verified = await signedData.verify({ signer: 0, data: view(signatureValue).buffer, checkChain: false, extendedMode: true });
    if (!verified.signatureVerified || !verified.signerCertificate) return null;
    const certificate = Buffer.from(verified.signerCertificate.toSchema().toBER());
    const carried = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate).map((c) => Buffer.from(c.toSchema().toBER()));
    return { time: info.genTime.toISOString(), authority: commonName(new crypto.X509Certificate(certificate).subject), certificate, carried };
  } catch {
    return null;
  }
}
