// TLS for signaling (WSS) and the catalog (HTTPS) on an internal network: on first start the
// server makes its own certificate authority and a server certificate it signs, for every name
// and address meeting points may use. The operator installs the CA certificate (ca.crt) once on
// each meeting point's PC; a certificate from the province's own CA, put in the same folder as
// server.crt and server.key, is used instead.
//
// The CA can vouch only for this server: X.509 name constraints limit it to the server's host
// names and the networks its addresses are on, so a CA installed on commune PCs cannot be used
// to impersonate any other site even if its key leaked. Its key lives apart from the serving key
// (ca/ca.key, 0600) and is read only to re-issue the serving certificate when the server's
// addresses change (a new DHCP lease on an office PC).
import { X509Certificate, createHash, createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
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
const NAME_CONSTRAINTS_OID = '2.5.29.30';

function rsaKeys(): forge.pki.rsa.KeyPair {
  // Node's generator is native and fast; forge's own would take seconds on an old PC.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const key = forge.pki.privateKeyFromPem(privateKey);
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
  return createHash('sha256').update(Buffer.from(der, 'binary')).digest('hex').toUpperCase().replace(/(..)(?!$)/g, '$1:');
}

/** An address as bytes, for a certificate's iPAddress fields. */
function ipBytes(address: string): Buffer {
  if (net.isIPv4(address)) return Buffer.from(address.split('.').map(Number));
  const [head, tail = ''] = address.split('::');
  const groups = (s: string) => (s ? s.split(':') : []);
  const missing = 8 - groups(head).length - groups(tail).length;
  const all: string[] = [...groups(head), ...Array.from({ length: address.includes('::') ? missing : 0 }, () => '0'), ...groups(tail)];
  return Buffer.concat(all.map((g) => Buffer.from(g.padStart(4, '0'), 'hex')));
}

/** The networks the server's addresses are on (address and mask), from the interfaces' netmasks;
 * an address on no interface (an announced NAT address) is taken alone. */
export function serverNetworks(addresses: string[]): { address: string; mask: string }[] {
  const interfaces = Object.values(os.networkInterfaces()).flat().filter((a): a is os.NetworkInterfaceInfo => !!a);
  const networks = [
    { address: '127.0.0.0', mask: '255.0.0.0' },
    { address: '::1', mask: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff' },
    ...addresses.filter((a) => net.isIP(a)).map((address) => {
      const found = interfaces.find((i) => i.address === address);
      const mask = found?.netmask ?? (net.isIPv4(address) ? '255.255.255.255' : 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
      const network = Buffer.from(ipBytes(address).map((b, i) => b & ipBytes(mask)[i]));
      return { address: net.isIPv4(address) ? [...network].join('.') : network.toString('hex').replace(/(.{4})(?!$)/g, '$1:'), mask };
    }),
  ];
  return [...new Map(networks.map((n) => [`${n.address}/${n.mask}`, n])).values()];
}

/** NameConstraints (RFC 5280 4.2.1.10): permitted DNS names and IP networks only. */
function nameConstraints(hostNames: string[], networks: { address: string; mask: string }[]): string {
  const { asn1 } = forge;
  // forge types every tag as a universal type; these are the context-specific tags of RFC 5280.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- a context tag is not one of forge's universal types
  const tag = (number: 0 | 2 | 7) => number as forge.asn1.Type;
  const subtree = (name: forge.asn1.Asn1) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [name]);
  const dns = (name: string) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag(2), false, name);
  const ip = ({ address, mask }: { address: string; mask: string }) =>
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag(7), false, Buffer.concat([ipBytes(address), ipBytes(mask)]).toString('binary'));
  const permitted = asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag(0), true, [...hostNames.map((n) => subtree(dns(n))), ...networks.map((n) => subtree(ip(n)))]);
  return asn1.toDer(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [permitted])).getBytes();
}

const hostNames = () => [...new Set(['localhost', os.hostname()])];

interface Layout {
  dir: string;
  file: (name: string) => string;
  caKey: string;
}

function layout(dir: string): Layout {
  return { dir, file: (name) => path.join(dir, name), caKey: path.join(dir, 'ca', 'ca.key') };
}

/** The server's key and certificate: made (with a CA) on first use for these names and
 * addresses, re-issued from the same CA when an address is new. */
export function ensureTlsFiles(dir: string, names: string[]): TlsFiles {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const at = layout(dir);
  // Before name constraints, the CA key sat beside the serving key: it moves apart.
  if (fs.existsSync(at.file('ca.key'))) {
    fs.mkdirSync(path.dirname(at.caKey), { recursive: true, mode: 0o700 });
    fs.renameSync(at.file('ca.key'), at.caKey);
  }
  const supplied = fs.existsSync(at.file('server.key')) && fs.existsSync(at.file('server.crt')) && !fs.existsSync(at.caKey);
  if (!supplied && !fs.existsSync(at.file('server.crt'))) makeCa(at, names);
  if (!supplied) reissueIfNeeded(dir, names);
  const caCertFile = fs.existsSync(at.file('ca.crt')) ? at.file('ca.crt') : null;
  return {
    key: fs.readFileSync(at.file('server.key'), 'utf8'),
    cert: fs.readFileSync(at.file('server.crt'), 'utf8'),
    caCertFile,
    caFingerprint: caCertFile ? fingerprint(fs.readFileSync(caCertFile, 'utf8')) : null,
  };
}

/** A name or an address as the certificate and the system may each write it: an IPv6 address is
 * written in full by the certificate (FD00:0:0:0:0:0:0:2) and shortened by the system (fd00::2);
 * taken for a new address, it re-issued the certificate on every start. */
function sameForm(name: string): string {
  return net.isIP(name) ? ipBytes(name).toString('hex') : name.toLowerCase();
}

/** What is wrong with the serving certificate: the names and addresses it lacks, or a key that
 * is not its own (a crash between writing the two). */
function problems(at: Layout, names: string[]): string[] {
  const cert = new X509Certificate(fs.readFileSync(at.file('server.crt'), 'utf8'));
  const sans = (cert.subjectAltName ?? '').split(', ').map((s) => sameForm(s.replace(/^(DNS|IP Address):/, '')));
  const missing = [...new Set([...hostNames(), ...names])].filter((n) => !sans.includes(sameForm(n)));
  const ownKey = fs.existsSync(at.file('server.key')) && cert.checkPrivateKey(createPrivateKey(fs.readFileSync(at.file('server.key'), 'utf8')));
  return ownKey ? missing : [...missing, 'its own key'];
}

/** Re-issues the serving certificate when it lacks one of `names`; true when it did. */
export function reissueIfNeeded(dir: string, names: string[]): boolean {
  const at = layout(dir);
  const missing = problems(at, names);
  if (!missing.length) return false;
  if (!fs.existsSync(at.caKey)) {
    console.warn(`[sfu] the server's certificate does not name ${missing.join(', ')}, and the CA key (${at.caKey}) is not here to re-issue it`);
    return false;
  }
  const caKey = forge.pki.privateKeyFromPem(fs.readFileSync(at.caKey, 'utf8'));
  const ca = forge.pki.certificateFromPem(fs.readFileSync(at.file('ca.crt'), 'utf8'));
  issueServer(at, ca, caKey, names);
  console.log(`[sfu] the server's certificate was re-issued for its new addresses (${missing.join(', ')})`);
  return true;
}

function makeCa(at: Layout, names: string[]): void {
  const caKeys = rsaKeys();
  const caSubject = [{ name: 'commonName', value: `Giao Ban CA ${os.hostname()}` }, { name: 'organizationName', value: 'Giao Ban' }];
  const ca = certificate(caSubject, caKeys, 10);
  ca.setIssuer(caSubject);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
    { id: NAME_CONSTRAINTS_OID, critical: true, value: nameConstraints(hostNames(), serverNetworks(names)) },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());
  fs.mkdirSync(path.dirname(at.caKey), { recursive: true, mode: 0o700 });
  fs.writeFileSync(at.caKey, forge.pki.privateKeyToPem(caKeys.privateKey), { mode: 0o600 });
  fs.writeFileSync(at.file('ca.crt'), forge.pki.certificateToPem(ca), { mode: 0o644 });
  issueServer(at, ca, caKeys.privateKey, names);
}

function issueServer(at: Layout, ca: forge.pki.Certificate, caKey: forge.pki.rsa.PrivateKey, names: string[]): void {
  const serverKeys = rsaKeys();
  const server = certificate([{ name: 'commonName', value: os.hostname() }], serverKeys, 2);
  server.setIssuer(ca.subject.attributes);
  const altNames = [...new Set([...hostNames(), '127.0.0.1', '::1', ...names])].map((n) => (net.isIP(n) ? { type: 7, ip: n } : { type: 2, value: n }));
  server.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames },
  ]);
  server.sign(caKey, forge.md.sha256.create());
  // The key first, then the certificate: a crash between leaves a certificate that does not
  // match its key, which the next start re-issues.
  fs.writeFileSync(at.file('server.key'), forge.pki.privateKeyToPem(serverKeys.privateKey), { mode: 0o600 });
  fs.writeFileSync(at.file('server.crt'), forge.pki.certificateToPem(server), { mode: 0o644 });
}
