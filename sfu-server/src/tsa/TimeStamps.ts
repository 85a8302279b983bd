// An RFC 3161 time-stamp authority on the internal network: a signature's time then rests on the
// province server's clock and key, not on the signing PC's clock (PAdES B-T). Its key is made on
// first start (tsa/tsa.key, 0600, with a certificate for time-stamping only); an operator's own
// TSA key and certificate put in that folder are used instead.
import { X509Certificate, createPrivateKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as asn1js from 'asn1js';
import forge from 'node-forge';
import * as pkijs from 'pkijs';
import { OID, buildSignedData, view } from '../../../lib/signedData';
import type { Clock } from '../clock';

/** This TSA's policy: a UUID-based OID (ITU-T X.667), no registration needed. */
const POLICY = '2.25.229462478318398416235036187305356357122';

/** Makes the TSA's key and a self-issued certificate for time-stamping only. */
function makeTsa(dir: string, now: Date): void {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const key = forge.pki.privateKeyFromPem(privateKey);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(now.getTime() - 24 * 3600_000);
  cert.validity.notAfter = new Date(now.getTime() + 10 * 365 * 24 * 3600_000);
  const subject = [{ name: 'commonName', value: `Giao Ban TSA ${os.hostname()}` }, { name: 'organizationName', value: 'Giao Ban' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'extKeyUsage', timeStamping: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(dir, 'tsa.key'), privateKey, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'tsa.crt'), forge.pki.certificateToPem(cert), { mode: 0o644 });
}

export class TimeStamps {
  private constructor(
    private readonly keyPem: string,
    readonly certificatePem: string,
    private readonly now: Clock,
  ) {}

  static open(dir: string, now: Clock): TimeStamps {
    if (!fs.existsSync(path.join(dir, 'tsa.key')) || !fs.existsSync(path.join(dir, 'tsa.crt'))) makeTsa(dir, now());
    return new TimeStamps(fs.readFileSync(path.join(dir, 'tsa.key'), 'utf8'), fs.readFileSync(path.join(dir, 'tsa.crt'), 'utf8'), now);
  }

  /** Answers a DER TimeStampReq with a DER TimeStampResp: granted with a token, or rejected with
   * the reason (RFC 3161 PKIFailureInfo: badAlg, badDataFormat). */
  async respond(requestDer: Buffer): Promise<Buffer> {
    let request: pkijs.TimeStampReq;
    try {
      request = pkijs.TimeStampReq.fromBER(view(requestDer));
    } catch {
      return this.rejection(5, 'the request is not a DER TimeStampReq'); // badDataFormat
    }
    if (request.messageImprint.hashAlgorithm.algorithmId !== OID.sha256 || request.messageImprint.hashedMessage.valueBlock.valueHexView.byteLength !== 32) {
      return this.rejection(0, 'only SHA-256 message imprints are stamped'); // badAlg
    }
    const tstInfo = new pkijs.TSTInfo({
      version: 1,
      policy: POLICY,
      messageImprint: request.messageImprint,
      serialNumber: new asn1js.Integer({ valueHex: view(Buffer.concat([Buffer.from([1]), randomBytes(15)])) }),
      genTime: this.now(),
      accuracy: new pkijs.Accuracy({ seconds: 1 }),
      ...(request.nonce ? { nonce: request.nonce } : {}),
    });
    const token = await this.sign(Buffer.from(tstInfo.toSchema().toBER()), request.certReq === true);
    const response = new pkijs.TimeStampResp({ status: new pkijs.PKIStatusInfo({ status: pkijs.PKIStatus.granted }), timeStampToken: token });
    return Buffer.from(response.toSchema().toBER());
  }

  private rejection(failBit: number, text: string): Buffer {
    const failInfo = new asn1js.BitString({ valueHex: view(Buffer.from([0x80 >> failBit])), unusedBits: 7 - failBit });
    const status = new pkijs.PKIStatusInfo({ status: pkijs.PKIStatus.rejection, statusStrings: [new asn1js.Utf8String({ value: text })], failInfo });
    return Buffer.from(new pkijs.TimeStampResp({ status }).toSchema().toBER());
  }

  /** The time-stamp token: SignedData over the TSTInfo, signed by the TSA's key. */
  private async sign(tstInfoDer: Buffer, includeCertificate: boolean): Promise<pkijs.ContentInfo> {
    const der = await buildSignedData({
      contentType: OID.tstInfo,
      content: tstInfoDer,
      encapsulate: true,
      signerDer: new X509Certificate(this.certificatePem).raw,
      includeSignerCertificate: includeCertificate,
      sign: (toSign) => sign('sha256', toSign, createPrivateKey(this.keyPem)),
    });
    return pkijs.ContentInfo.fromBER(view(der));
  }
}
