// Whether a server's certificate chains to a CA this PC pinned for that host (the fingerprint
// from the point's invitation, confirmed once by its operator): what lets a meeting point reach
// its host unit's server without installing a root certificate in the operating system.
import { X509Certificate, createHash } from 'node:crypto';

/** "AB:CD:…": the SHA-256 of the certificate's DER, as the server's hosting panel shows it. */
export function fingerprintOf(pem: string): string {
  return new X509Certificate(pem).fingerprint256.toUpperCase();
}

/** The same fingerprint however it was written (with or without colons, any case). */
export function normalFingerprint(text: string): string {
  const hex = text.replace(/[^0-9a-f]/gi, '').toUpperCase();
  return hex.replace(/(..)(?!$)/g, '$1:');
}

export function sha256Hex(data: string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The leaf was issued by the pinned CA, is valid now, and is made for this host name. */
export function pinnedChainAccepts(input: { leafPem: string; hostname: string; pinnedCaPem: string; now: Date }): boolean {
  try {
    const leaf = new X509Certificate(input.leafPem);
    const ca = new X509Certificate(input.pinnedCaPem);
    if (!leaf.checkIssued(ca) || !leaf.verify(ca.publicKey)) return false;
    if (input.now < new Date(leaf.validFrom) || input.now > new Date(leaf.validTo)) return false;
    const host = input.hostname.replace(/^\[|\]$/g, '');
    return /^[\d.]+$/.test(host) || host.includes(':') ? leaf.checkIP(host) !== undefined : leaf.checkHost(host) !== undefined;
  } catch {
    return false;
  }
}
