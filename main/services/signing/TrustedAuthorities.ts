// The certification authorities whose signers this PC trusts: the national root CA and the
// government's public-service CA, imported by the administrator as files (PEM or DER). A signed
// record is "trusted" only when its signer's chain ends at one of these. A time-stamp
// authority's own certificate (the briefing server's tsa.crt) may be imported too: it is
// trusted for the times it stamps, never as the signer of a record.
import { X509Certificate } from 'node:crypto';
import type { Store } from '../store/Store';
import { commonName } from './distinguishedName';

export class TrustError extends Error {
  constructor(
    readonly code: 'not_a_certificate' | 'not_a_ca',
    message: string,
  ) {
    super(message);
  }
}

export interface TrustedAuthority {
  sha256: string;
  name: string;
  validTo: string;
  addedAt: string;
}

/** The certificates in a PEM file (one or more), or the DER file itself. */
function certificatesIn(bytes: Buffer): X509Certificate[] {
  const text = bytes.toString('latin1');
  const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  try {
    return pems ? pems.map((pem) => new X509Certificate(pem)) : [new X509Certificate(bytes)];
  } catch {
    throw new TrustError('not_a_certificate', 'this file is not a certificate (PEM or DER)');
  }
}


const TIME_STAMPING = '1.3.6.1.5.5.7.3.8';

/** A certificate for time-stamping only (RFC 3161 asks its extended key usage to be that alone). */
export function isTimeStampAuthority(cert: X509Certificate): boolean {
  return !cert.ca && Array.isArray(cert.keyUsage) && cert.keyUsage.length === 1 && cert.keyUsage[0] === TIME_STAMPING;
}

export class TrustedAuthorities {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
  ) {}

  /** Adds every CA (or time-stamp authority) certificate in the file; a signer's own
   * certificate is refused. */
  async import(bytes: Buffer): Promise<TrustedAuthority[]> {
    const certificates = certificatesIn(bytes);
    if (certificates.some((c) => !c.ca && !isTimeStampAuthority(c))) throw new TrustError('not_a_ca', "this is a signer's certificate, not a certification authority's");
    const at = this.now().toISOString();
    for (const cert of certificates) {
      await this.store.run(
        'INSERT INTO trusted_ca (sha256, name, der, valid_to, added_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING',
        [cert.fingerprint256, commonName(cert.subject), cert.raw, new Date(cert.validTo).toISOString(), at],
      );
    }
    return this.list();
  }

  async list(): Promise<TrustedAuthority[]> {
    return this.store.all<TrustedAuthority>('SELECT sha256, name, valid_to AS validTo, added_at AS addedAt FROM trusted_ca ORDER BY name');
  }

  async remove(sha256: string): Promise<void> {
    await this.store.run('DELETE FROM trusted_ca WHERE sha256 = ?', [sha256]);
  }

  async certificates(): Promise<Buffer[]> {
    return (await this.store.all<{ der: Buffer }>('SELECT der FROM trusted_ca')).map((r) => r.der);
  }
}
