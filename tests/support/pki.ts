// Test certificates (a CA and the chair's certificate), as a PKCS#12 file and on a SoftHSM token,
// so signing is tested against the same kinds of key store the chair uses.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import * as pkcs11js from 'pkcs11js';

export const SOFTHSM_LIBRARY = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so'].find((f) =>
  fs.existsSync(f),
);

interface Issued {
  keyPem: string;
  cert: forge.pki.Certificate;
  certDer: Buffer;
}

function issue(subject: { CN: string; O?: string }, validity: { from: Date; to: Date }, issuer?: { key: string; cert: forge.pki.Certificate }): Issued {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = crypto.randomBytes(8).toString('hex').replace(/^[89a-f]/, '1');
  cert.validity.notBefore = validity.from;
  cert.validity.notAfter = validity.to;
  // @types/node-forge types valueTagClass as a Class, but forge takes the string type there (UTF8).
  const utf8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;
  const attrs: forge.pki.CertificateField[] = [
    { shortName: 'CN', value: subject.CN, valueTagClass: utf8 },
    ...(subject.O ? [{ shortName: 'O', value: subject.O, valueTagClass: utf8 }] : []),
    { shortName: 'C', value: 'VN' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(issuer ? issuer.cert.subject.attributes : attrs);
  // Shaped like the certificates Vietnamese CAs issue, so NSS (pdfsig) validates the chain too.
  cert.setExtensions(
    issuer
      ? [
          { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
          { name: 'extKeyUsage', emailProtection: true },
          { name: 'subjectKeyIdentifier' },
          { name: 'authorityKeyIdentifier', keyIdentifier: issuer.cert.generateSubjectKeyIdentifier().getBytes() },
        ]
      : [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, nonRepudiation: true, critical: true },
          { name: 'subjectKeyIdentifier' },
        ],
  );
  cert.sign(forge.pki.privateKeyFromPem(issuer?.key ?? keyPem), forge.md.sha256.create());
  return { keyPem, cert, certDer: Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary') };
}

export interface TestSigner {
  /** The CA that issued the certificate (the test's stand-in for the national root CA); for a
   * self-made certificate, the certificate itself. */
  caPem: string;
  caDer: Buffer;
  name: string;
  p12: Buffer;
  password: string;
  keyPem: string;
  certDer: Buffer;
  subjectDer: Buffer;
}

const DAY = 24 * 3600_000;

/** A chair's certificate valid around `at` (the test's clock; today by default). */
export function chairCertificate(options: { expired?: boolean; name?: string; at?: Date } = {}): TestSigner {
  const now = (options.at ?? new Date()).getTime();
  const ca = issue({ CN: 'CA thử nghiệm Giao Ban' }, { from: new Date(now - 400 * DAY), to: new Date(now + 3650 * DAY) });
  const name = options.name ?? 'Nguyễn Văn Thắng';
  const validity = options.expired ? { from: new Date(now - 400 * DAY), to: new Date(now - 30 * DAY) } : { from: new Date(now - DAY), to: new Date(now + 365 * DAY) };
  const chair = issue({ CN: name, O: 'UBND huyện Sơn Hà' }, validity, { key: ca.keyPem, cert: ca.cert });
  return packed(name, chair, ca);
}

/** Certificates for several people (a secretary and a chair) issued by one CA, valid around `at`. */
export function certificatesOfOneCa(names: string[], at = new Date()): TestSigner[] {
  const now = at.getTime();
  const ca = issue({ CN: 'CA thử nghiệm Giao Ban' }, { from: new Date(now - 400 * DAY), to: new Date(now + 3650 * DAY) });
  return names.map((name) => packed(name, issue({ CN: name, O: 'UBND huyện Sơn Hà' }, { from: new Date(now - DAY), to: new Date(now + 365 * DAY) }, { key: ca.keyPem, cert: ca.cert }), ca));
}

function packed(name: string, signer: Issued, ca: Issued): TestSigner {
  const password = 'mat-khau-123';
  const chain = signer === ca ? [signer.cert] : [signer.cert, ca.cert];
  const p12 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(signer.keyPem), chain, password, { algorithm: '3des' });
  const subjectDer = Buffer.from(forge.asn1.toDer(forge.pki.distinguishedNameToAsn1(signer.cert.subject)).getBytes(), 'binary');
  return {
    caPem: forge.pki.certificateToPem(ca.cert),
    caDer: ca.certDer,
    name,
    p12: Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'),
    password,
    keyPem: signer.keyPem,
    certDer: signer.certDer,
    subjectDer,
  };
}

/** What anyone can make in a minute: a self-signed certificate named like the chair. */
export function selfMadeCertificate(name = 'Nguyễn Văn Thắng', at = new Date()): TestSigner {
  const now = at.getTime();
  const made = issue({ CN: name, O: 'UBND huyện Sơn Hà' }, { from: new Date(now - DAY), to: new Date(now + 365 * DAY) });
  return packed(name, made, made);
}

/** A SoftHSM token of our own (its own config and token folder), holding the chair's key and certificate. */
export function softHsmToken(dir: string, signer: TestSigner, pin = '1234'): { library: string; pin: string; label: string } {
  if (!SOFTHSM_LIBRARY) throw new Error('SoftHSM is not installed (Debian package softhsm2)');
  const tokens = path.join(dir, 'tokens');
  fs.mkdirSync(tokens, { recursive: true });
  const conf = path.join(dir, 'softhsm2.conf');
  fs.writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  process.env.SOFTHSM2_CONF = conf;
  const label = 'giaoban-chu-toa';
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', '87654321'], { stdio: 'pipe' });
  const keyFile = path.join(dir, 'chair.pk8.pem');
  fs.writeFileSync(keyFile, signer.keyPem);
  execFileSync('softhsm2-util', ['--import', keyFile, '--token', label, '--label', 'chair', '--id', '01', '--pin', pin], { stdio: 'pipe' });
  fs.rmSync(keyFile);
  // softhsm2-util imports keys only; the certificate goes on the token as a token vendor's tool would put it.
  const p11 = new pkcs11js.PKCS11();
  p11.load(SOFTHSM_LIBRARY);
  p11.C_Initialize();
  try {
    const slot = p11.C_GetSlotList(true).find((s) => p11.C_GetTokenInfo(s).label.trim() === label);
    if (slot === undefined) throw new Error('the new SoftHSM token is not listed');
    const session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    p11.C_Login(session, pkcs11js.CKU_USER, pin);
    p11.C_CreateObject(session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
      { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_ID, value: Buffer.from([1]) },
      { type: pkcs11js.CKA_LABEL, value: 'chair' },
      { type: pkcs11js.CKA_SUBJECT, value: signer.subjectDer },
      { type: pkcs11js.CKA_VALUE, value: signer.certDer },
    ]);
    p11.C_Logout(session);
    p11.C_CloseSession(session);
  } finally {
    p11.C_Finalize();
    p11.close();
  }
  return { library: SOFTHSM_LIBRARY, pin, label };
}
