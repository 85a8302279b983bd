// The servers this PC trusts by a pinned CA: the operator pastes the invitation, the app fetches
// the server's CA, compares its fingerprint with the invitation's, and (once the operator has
// confirmed) keeps it. The desktop's calls and Electron's window then trust that CA for that host.
import https from 'node:https';
import { catalogBase, usePinnedCas } from '../catalog/CatalogClient';
import type { Store } from '../store/Store';
import { fingerprintOf, normalFingerprint } from './pinning';

export class ServerTrustError extends Error {
  constructor(
    readonly code: 'not_tls' | 'no_ca' | 'fingerprint_mismatch',
    message: string,
  ) {
    super(message);
  }
}

const MAX_CA_BYTES = 64 * 1024;

/** The server's CA as it serves it. Unverified on purpose: what makes it trusted is the
 * fingerprint the invitation carries, compared next. */
function fetchCa(serverUrl: string): Promise<string> {
  const url = `${catalogBase(serverUrl)}/ca.crt`;
  return new Promise((resolve, reject) => {
    const request = https.get(url, { rejectUnauthorized: false, timeout: 10_000 }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return reject(new ServerTrustError('no_ca', `the server gives no CA certificate (HTTP ${res.statusCode ?? 0})`));
      }
      let pem = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        pem += chunk;
        if (pem.length > MAX_CA_BYTES) request.destroy(new ServerTrustError('no_ca', 'the CA certificate is too large'));
      });
      res.on('end', () => resolve(pem));
    });
    request.on('timeout', () => request.destroy(new ServerTrustError('no_ca', 'the server did not answer in time')));
    request.on('error', (error) => reject(error instanceof ServerTrustError ? error : new ServerTrustError('no_ca', `cannot fetch the server's CA: ${error.message}`)));
  });
}

export class ServerTrust {
  private pins = new Map<string, { fingerprint: string; caPem: string }>();

  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
  ) {}

  async load(): Promise<void> {
    const rows = await this.store.all<{ hostname: string; fingerprint: string; ca_pem: string }>('SELECT hostname, fingerprint, ca_pem FROM pinned_ca');
    this.pins = new Map(rows.map((r) => [r.hostname, { fingerprint: r.fingerprint, caPem: r.ca_pem }]));
    usePinnedCas(rows.map((r) => ({ hostname: r.hostname, caPem: r.ca_pem })));
  }

  /** The CA pinned for a host name (Electron's certificate check asks this). */
  pinnedFor(hostname: string): string | undefined {
    return this.pins.get(hostname.replace(/^\[|\]$/g, ''))?.caPem;
  }

  /** Pins the server's CA if its fingerprint is the invitation's; refuses it otherwise. */
  async pin(serverUrl: string, expected: string): Promise<{ hostname: string; fingerprint: string }> {
    const url = new URL(serverUrl);
    if (url.protocol !== 'wss:') throw new ServerTrustError('not_tls', 'only a server reached over wss:// has a certificate to pin');
    const caPem = await fetchCa(serverUrl);
    let fingerprint: string;
    try {
      fingerprint = fingerprintOf(caPem);
    } catch {
      throw new ServerTrustError('no_ca', 'the server sent something that is not a certificate');
    }
    if (fingerprint !== normalFingerprint(expected)) {
      throw new ServerTrustError('fingerprint_mismatch', `the server's CA is ${fingerprint}, not the invitation's ${normalFingerprint(expected)}: someone may be in between`);
    }
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    await this.store.run(
      `INSERT INTO pinned_ca (hostname, fingerprint, ca_pem, pinned_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (hostname) DO UPDATE SET fingerprint = excluded.fingerprint, ca_pem = excluded.ca_pem, pinned_at = excluded.pinned_at`,
      [hostname, fingerprint, caPem, this.now().toISOString()],
    );
    await this.load();
    return { hostname, fingerprint };
  }
}
