// How a province server trusts the upper server: by the fingerprint of its CA, as the relay's
// invitation carries it (no root certificate installed on the province server). The CA is
// fetched unverified from the upper server and kept only if its fingerprint matches; the link's
// TLS is then checked against that CA alone, host name included.
import https from 'node:https';
import { X509Certificate } from 'node:crypto';

const MAX_CA_BYTES = 64 * 1024;

/** "AB:CD:…" however it was written (with or without colons, any case). */
export function normalFingerprint(text: string): string {
  return text.replace(/[^0-9a-f]/gi, '').toUpperCase().replace(/(..)(?!$)/g, '$1:');
}

export async function fetchPinnedCa(upperUrl: string, fingerprint: string): Promise<string> {
  const url = new URL(upperUrl);
  if (url.protocol !== 'wss:') throw new Error(`a CA fingerprint is given but ${upperUrl} is not wss://`);
  url.protocol = 'https:';
  const pem = await new Promise<string>((resolve, reject) => {
    const request = https.get(`${url.origin}/ca.crt`, { rejectUnauthorized: false, timeout: 10_000 }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return reject(new Error(`the upper server gives no CA certificate (HTTP ${res.statusCode ?? 0})`));
      }
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (text.length > MAX_CA_BYTES) request.destroy(new Error('the upper server\'s CA certificate is too large'));
      });
      res.on('end', () => resolve(text));
    });
    request.on('timeout', () => request.destroy(new Error('the upper server did not answer in time')));
    request.on('error', reject);
  });
  let actual: string;
  try {
    actual = new X509Certificate(pem).fingerprint256.toUpperCase();
  } catch {
    throw new Error('the upper server\'s CA certificate cannot be read');
  }
  if (actual !== normalFingerprint(fingerprint)) throw new Error(`the upper server's CA is ${actual}, not the ${normalFingerprint(fingerprint)} of the invitation: refused`);
  return pem;
}
