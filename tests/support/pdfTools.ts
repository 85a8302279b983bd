// What tools nobody here wrote say of a signed PDF: poppler's pdfsig (NSS) and OpenSSL's CMS
// verification, each signature cut out of the file by its /ByteRange as any PDF reader does.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The length of the DER object at the start (its header says): the padding after it is zeros,
 * but so may be its own last byte, which stripping zeros would cut off (one signature in 256). */
function derLength(der: Buffer): number {
  if (der.length < 2) return 0;
  if (der[1] < 0x80) return 2 + der[1];
  const octets = der[1] & 0x7f;
  let length = 0;
  for (let i = 0; i < octets; i++) length = length * 256 + der[2 + i];
  return 2 + octets + length;
}

/** Each signature's byte ranges, its DER (without padding) and the bytes it covers, in file order. */
export function signatureRanges(pdf: Buffer): { der: Buffer; content: Buffer; contentsEnd: number }[] {
  const found: { der: Buffer; content: Buffer; contentsEnd: number }[] = [];
  for (let at = pdf.indexOf('/ByteRange ['); at !== -1; at = pdf.indexOf('/ByteRange [', at + 1)) {
    const match = /\/ByteRange \[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/.exec(pdf.subarray(at, at + 80).toString('latin1'));
    if (!match) continue;
    const [a, b, c, d] = match.slice(1).map(Number);
    const contents = Buffer.from(pdf.subarray(a + b + 1, c - 1).toString('latin1'), 'hex');
    found.push({ der: contents.subarray(0, derLength(contents)), content: Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]), contentsEnd: c });
  }
  return found;
}

/** The last signature's ranges (the one that covers the file). */
export function byteRanges(pdf: Buffer): { der: Buffer; content: Buffer; contentsEnd: number } {
  return signatureRanges(pdf).at(-1)!;
}

/** OpenSSL's own CMS verification of the `index`th signature (the last by default) against the CA. */
export function opensslCmsVerifies(pdf: Buffer, caPem: string, work: string, index = -1): boolean {
  const { der, content } = signatureRanges(pdf).at(index)!;
  const dir = fs.mkdtempSync(path.join(work, 'cms-'));
  fs.writeFileSync(path.join(dir, 'sig.der'), der);
  fs.writeFileSync(path.join(dir, 'content.bin'), content);
  fs.writeFileSync(path.join(dir, 'ca.pem'), caPem);
  try {
    execFileSync('openssl', ['cms', '-verify', '-inform', 'DER', '-in', path.join(dir, 'sig.der'), '-content', path.join(dir, 'content.bin'), '-binary', '-CAfile', path.join(dir, 'ca.pem'), '-purpose', 'any', '-out', '/dev/null'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** pdfsig exits non-zero on an invalid signature; its verdict is what matters. */
export function pdfsigSays(file: string, args: string[] = []): string {
  try {
    return execFileSync('pdfsig', [...args, file], { stdio: 'pipe' }).toString();
  } catch (error) {
    return String((error as { stdout?: Buffer }).stdout ?? '');
  }
}

/** pdfsig's verdict with the CA trusted in an NSS database of its own. */
export function pdfsigWithTrust(file: string, caPem: string, work: string): string {
  const nss = fs.mkdtempSync(path.join(work, 'nss-'));
  fs.writeFileSync(path.join(nss, 'ca.pem'), caPem);
  execFileSync('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
  execFileSync('certutil', ['-A', '-d', `sql:${nss}`, '-n', 'ca-thu-nghiem', '-t', 'CT,C,C', '-i', path.join(nss, 'ca.pem')]);
  return pdfsigSays(file, ['-nssdir', nss, '-no-ocsp']);
}

/** pdfsig's report split per signature ("Signature #1: …"). */
export function pdfsigPerSignature(report: string): string[] {
  return report.split(/^Signature #\d+:$/m).slice(1);
}
