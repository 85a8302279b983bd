// Signing the minutes: a PKCS#12 file and a SoftHSM token, checked by our verifier and by pdf
// tools no one here wrote; every bad key store gets its own error, and a changed byte is caught.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { minutesDocument } from '../../main/services/records/recordDocument';
import { renderRecordPdf } from '../../main/services/records/recordPdf';
import { SigningError, openPkcs11, openPkcs12 } from '../../main/services/signing/keys';
import { signRecordPdf, verifySignedPdf } from '../../main/services/signing/pades';
import { briefingFixture, minutesFixture } from '../support/recordFixture';
import { chairCertificate, softHsmToken } from '../support/pki';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-signing-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const record = minutesDocument(briefingFixture, minutesFixture());
const chair = chairCertificate();

/** pdfsig exits non-zero on an invalid signature; its verdict is what matters here. */
function pdfsigSays(file: string): string {
  try {
    return execFileSync('pdfsig', [file], { stdio: 'pipe' }).toString();
  } catch (error) {
    return String((error as { stdout?: Buffer }).stdout ?? '');
  }
}

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
    expect(check).toMatchObject({ signed: true, intact: true, problem: null, certificateValidAtSigning: true });
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
});
