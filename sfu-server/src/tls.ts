// TLS for signaling (WSS) and the catalog (HTTPS) on an internal network: on first start the
// server makes its own certificate authority and a server certificate it signs, for every name
// and address meeting points may use. The operator installs the CA certificate (ca.crt) once on
// each meeting point's PC; a certificate from the province's own CA, put in the same folder as
// server.crt and server.key, is used instead.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';

export interface TlsFiles {
  key: string;
  cert: string;
  /** The CA certificate meeting points must trust (absent for a certificate the operator supplied). */
  caCertFile: string | null;
  /** SHA-256 of the CA certificate, for the operator to compare when installing it. */
  caFingerprint: string | null;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

function rsaKeys(): forge.pki.rsa.KeyPair {
  // Node's generator is native and fast; forge's own would take seconds on an old PC.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const key = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) };
}

function certificate(subject: forge.pki.CertificateField[], keys: forge.pki.rsa.KeyPair, years: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(Date.now() + years * YEAR_MS);
  cert.setSubject(subject);
  return cert;
}

function fingerprint(pem: string): string {
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(pem))).getBytes();
  return createHash('sha256').update(Buffer.from(der, 'binary')).digest('hex').toUpperCase().match(/../g)!.join(':');
}

/** The server's key and certificate, made (with a CA) on first use for these names and addresses. */
export function ensureTlsFiles(dir: string, names: string[]): TlsFiles {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = (name: string) => path.join(dir, name);
  const supplied = fs.existsSync(file('server.key')) && fs.existsSync(file('server.crt')) && !fs.existsSync(file('ca.key'));
  if (!supplied && !fs.existsSync(file('server.crt'))) makeCertificates(dir, names);
  const caCertFile = fs.existsSync(file('ca.crt')) ? file('ca.crt') : null;
  return {
    key: fs.readFileSync(file('server.key'), 'utf8'),
    cert: fs.readFileSync(file('server.crt'), 'utf8'),
    caCertFile,
    caFingerprint: caCertFile ? fingerprint(fs.readFileSync(caCertFile, 'utf8')) : null,
  };
}

function makeCertificates(dir: string, names: string[]): void {
  const host = os.hostname();
  const caKeys = rsaKeys();
  const caSubject = [{ name: 'commonName', value: `Giao Ban CA ${host}` }, { name: 'organizationName', value: 'Giao Ban' }];
  const ca = certificate(caSubject, caKeys, 10);
  ca.setIssuer(caSubject);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const serverKeys = rsaKeys();
  const server = certificate([{ name: 'commonName', value: host }], serverKeys, 2);
  server.setIssuer(caSubject);
  const altNames = [...new Set(['localhost', host, '127.0.0.1', '::1', ...names])].map((n) =>
    net.isIP(n) ? { type: 7, ip: n } : { type: 2, value: n },
  );
  server.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames },
  ]);
  server.sign(caKeys.privateKey, forge.md.sha256.create());

  const write = (name: string, text: string, mode: number) => fs.writeFileSync(path.join(dir, name), text, { mode });
  write('ca.key', forge.pki.privateKeyToPem(caKeys.privateKey), 0o600);
  write('ca.crt', forge.pki.certificateToPem(ca), 0o644);
  write('server.key', forge.pki.privateKeyToPem(serverKeys.privateKey), 0o600);
  write('server.crt', forge.pki.certificateToPem(server), 0o644);
}
