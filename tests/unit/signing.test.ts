// Signing the minutes: a PKCS#12 file and a SoftHSM token, checked by our verifier and by pdf
// tools no one here wrote; every bad key store gets its own error, and a changed byte is caught.
import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash, createSign } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { minutesDocument } from '../../main/services/records/recordDocument';
import { renderRecordPdf } from '../../main/services/records/recordPdf';
import { SigningError, openPkcs11, openPkcs12 } from '../../main/services/signing/keys';
import { signRecordPdf } from '../../main/services/signing/pades';
import { verifySignedPdf } from '../../main/services/signing/verify';
import { TimeStamps } from '../../sfu-server/src/tsa/TimeStamps';
import { briefingFixture, minutesFixture } from '../support/recordFixture';
import { chairCertificate, selfMadeCertificate, softHsmToken } from '../support/pki';
import { byteRanges, opensslCmsVerifies, pdfsigSays, pdfsigWithTrust } from '../support/pdfTools';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-signing-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const record = minutesDocument(briefingFixture, minutesFixture());
const chair = chairCertificate();

function flipOneByte(pdf: Buffer, at: number): Buffer {
  const copy = Buffer.from(pdf);
  copy[at] = copy[at] === 0x41 ? 0x42 : 0x41;
  return copy;
}

describe('signing the minutes', () => {
  it('signs with a PKCS#12 file; the signature verifies, shows who signed, and fails after one changed byte', async () => {
    const key = openPkcs12(chair.p12, chair.password);
    const signed = await signRecordPdf(record, key, { at: new Date() });
    const check = await verifySignedPdf(signed);
    // Signed with no time-stamp authority at hand: B-B, its time the signing PC's own.
    expect(check).toMatchObject({ signed: true, intact: true, problem: null, certificateValidAtSigning: true, level: 'B-B', timestamp: null });
    expect(check.signer?.name).toBe('Nguyễn Văn Thắng');
    // pdftotext reads the signed file, and the visible signature is on the page.
    fs.writeFileSync(path.join(dir, 'signed.pdf'), signed);
    const text = execFileSync('pdftotext', [path.join(dir, 'signed.pdf'), '-']).toString();
    expect(text).toContain('Ký số bởi: Nguyễn Văn Thắng');
    expect(text).toContain('CHỦ TỌA');
    // poppler's pdfsig (NSS) agrees the signature is valid and PAdES.
    const pdfsig = execFileSync('pdfsig', [path.join(dir, 'signed.pdf')]).toString();
    expect(pdfsig).toContain('Signature is Valid');
    expect(pdfsig).toContain('ETSI.CAdES.detached');

    // A byte of the page content, well inside the first signed range.
    const tampered = flipOneByte(signed, Math.floor(signed.indexOf('stream') + 40));
    expect(await verifySignedPdf(tampered)).toMatchObject({ signed: true, intact: false, problem: 'modified' });
    fs.writeFileSync(path.join(dir, 'tampered.pdf'), tampered);
    expect(pdfsigSays(path.join(dir, 'tampered.pdf'))).not.toContain('Signature is Valid');
    const appended = Buffer.concat([signed, Buffer.from('\n1 0 obj\n(thay đổi sau khi ký)\nendobj\n')]);
    expect(await verifySignedPdf(appended)).toMatchObject({ intact: false, problem: 'appended' });
  });

  it('refuses a wrong password, an expired certificate and a file that is not a certificate', async () => {
    expect(() => openPkcs12(chair.p12, 'sai-mat-khau')).toThrow(expect.objectContaining({ code: 'wrong_pin' }));
    expect(() => openPkcs12(Buffer.from('không phải chứng thư'), 'x')).toThrow(expect.objectContaining({ code: 'bad_certificate_file' }));
    const expired = chairCertificate({ expired: true });
    await expect(signRecordPdf(record, openPkcs12(expired.p12, expired.password), { at: new Date() })).rejects.toMatchObject({
      code: 'certificate_expired',
    });
  });

  it('signs with a key on a SoftHSM token through PKCS#11, and refuses a wrong PIN', async () => {
    const token = softHsmToken(path.join(dir, 'hsm'), chair);
    let error: unknown;
    try {
      openPkcs11({ library: token.library, pin: '0000' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SigningError);
    expect((error as SigningError).code).toBe('wrong_pin');

    const key = openPkcs11({ library: token.library, pin: token.pin });
    try {
      const signed = await signRecordPdf(record, key, { at: new Date() });
      const check = await verifySignedPdf(signed);
      expect(check).toMatchObject({ intact: true, problem: null });
      expect(check.signer?.name).toBe('Nguyễn Văn Thắng');
      fs.writeFileSync(path.join(dir, 'token-signed.pdf'), signed);
      expect(pdfsigSays(path.join(dir, 'token-signed.pdf'))).toContain('Signature is Valid');
      const tampered = flipOneByte(signed, 200);
      expect((await verifySignedPdf(tampered)).intact).toBe(false);
      fs.writeFileSync(path.join(dir, 'token-tampered.pdf'), tampered);
      expect(pdfsigSays(path.join(dir, 'token-tampered.pdf'))).not.toContain('Signature is Valid');
    } finally {
      key.close();
    }
    expect(() => openPkcs11({ library: path.join(dir, 'khong-co.so'), pin: '1' })).toThrow(expect.objectContaining({ code: 'token_unavailable' }));
  });

  it('says an unsigned PDF is not signed', async () => {
    const check = await verifySignedPdf(await renderRecordPdf(record));
    expect(check).toMatchObject({ signed: false, problem: 'not_signed' });
  });

  it('a certificate anyone can make, named like the chair, verifies but is not trusted, and the tools nobody here wrote agree', async () => {
    const forged = selfMadeCertificate('Nguyễn Văn Thắng');
    const signed = await signRecordPdf(record, openPkcs12(forged.p12, forged.password), { at: new Date() });
    const check = await verifySignedPdf(signed, [chair.caDer]);
    expect(check).toMatchObject({ intact: true, trust: 'untrusted', authority: null, signer: { name: 'Nguyễn Văn Thắng', issuer: 'Nguyễn Văn Thắng' } });
    const file = path.join(dir, 'forged.pdf');
    fs.writeFileSync(file, signed);
    const verdict = pdfsigWithTrust(file, chair.caPem, dir);
    expect(verdict).toContain('Signature is Valid');
    expect(verdict).toMatch(/Certificate issuer isn't Trusted|Certificate issuer is unknown/);
    expect(opensslCmsVerifies(signed, chair.caPem, dir)).toBe(false);
  });

  it('the chair signed with a certificate of a CA this PC trusts: trusted, the CA named, and pdfsig and openssl agree', async () => {
    const signed = await signRecordPdf(record, openPkcs12(chair.p12, chair.password), { at: new Date() });
    expect(await verifySignedPdf(signed, [chair.caDer])).toMatchObject({ intact: true, trust: 'trusted', authority: 'CA thử nghiệm Giao Ban' });
    // Nothing trusted on this PC yet: the same file is valid but not trusted.
    expect(await verifySignedPdf(signed, [])).toMatchObject({ intact: true, trust: 'untrusted' });
    const file = path.join(dir, 'trusted.pdf');
    fs.writeFileSync(file, signed);
    // pdfsig finds the issuer in its trusted store (its libpkix policy then answers a generic
    // "Unknown issue" for this test chain, which NSS's own certutil -V -u S calls valid); what it
    // must not say is that the issuer is untrusted or unknown, as it does for the self-made one.
    const verdict = pdfsigWithTrust(file, chair.caPem, dir);
    expect(verdict).toContain('Signature is Valid');
    expect(verdict).not.toMatch(/issuer isn't Trusted|issuer is unknown/);
    expect(opensslCmsVerifies(signed, chair.caPem, dir)).toBe(true);
  });

  it('bytes changed in the signature’s padding, or anything after the signed ranges, read as changed', async () => {
    const signed = await signRecordPdf(record, openPkcs12(chair.p12, chair.password), { at: new Date() });
    const { contentsEnd } = byteRanges(signed);
    // 528 bytes written into the zero padding just before the closing '>'.
    const padded = Buffer.from(signed);
    padded.write('41'.repeat(528), contentsEnd - 1 - 1056, 'latin1');
    expect(await verifySignedPdf(padded, [chair.caDer])).toMatchObject({ intact: false, problem: 'modified', trust: null });
    for (const tail of ['\n', ' ', '%%EOF\n']) {
      expect(await verifySignedPdf(Buffer.concat([signed, Buffer.from(tail)]), [chair.caDer])).toMatchObject({ intact: false, problem: 'appended' });
    }
  });

  it('a time-stamp over the signature makes it B-T with the stamped time; a stamp of other bytes does not count', async () => {
    const tsa = TimeStamps.open(fs.mkdtempSync(path.join(dir, 'tsa-')), () => new Date('2026-11-27T01:30:00Z'));
    const tokenFor = async (bytes: Buffer) => {
      const request = new pkijs.TimeStampReq({
        version: 1,
        messageImprint: new pkijs.MessageImprint({
          hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: '2.16.840.1.101.3.4.2.1' }),
          hashedMessage: new asn1js.OctetString({ valueHex: new Uint8Array(createHash('sha256').update(bytes).digest()) }),
        }),
        certReq: true,
      });
      const answer = pkijs.TimeStampResp.fromBER(new Uint8Array(await tsa.respond(Buffer.from(request.toSchema().toBER()))));
      return Buffer.from(answer.timeStampToken!.toSchema().toBER());
    };
    const key = openPkcs12(chair.p12, chair.password);
    const stamped = await signRecordPdf(record, key, { at: new Date(), stamp: (value) => tokenFor(value) });
    // The stamp is sound either way; whether its time is trusted depends on this PC trusting the TSA.
    expect(await verifySignedPdf(stamped, [chair.caDer])).toMatchObject({ intact: true, level: 'B-T', timestamp: { time: '2026-11-27T01:30:00.000Z', trusted: false } });
    const tsaCertificate = new X509Certificate(tsa.certificatePem).raw;
    expect(await verifySignedPdf(stamped, [chair.caDer, tsaCertificate])).toMatchObject({ level: 'B-T', timestamp: { trusted: true } });
    // Trusting the TSA for its times does not make it a signer anyone trusts: a record signed
    // with the TSA's own certificate (as one holding its key could) stays untrusted.
    const tsaDir = fs.readdirSync(dir).find((d) => d.startsWith('tsa-'))!;
    const tsaKey = { certificate: tsaCertificate, chain: [], sign: (data: Buffer) => createSign('sha256').update(data).sign(fs.readFileSync(path.join(dir, tsaDir, 'tsa.key'), 'utf8')), close: () => undefined };
    const byTsa = await signRecordPdf(record, tsaKey, { at: new Date() });
    expect(await verifySignedPdf(byTsa, [chair.caDer, tsaCertificate])).toMatchObject({ intact: true, trust: 'untrusted' });
    const misstamped = await signRecordPdf(record, key, { at: new Date(), stamp: () => tokenFor(Buffer.from('một chữ ký khác')) });
    expect(await verifySignedPdf(misstamped, [chair.caDer])).toMatchObject({ intact: true, level: 'B-B', timestamp: null });
  });
});

