// Where the chair's signing key lives: a PKCS#12 file (.p12/.pfx) or a USB token reached through
// its PKCS#11 library (the tokens Vietnamese CAs issue; SoftHSM in tests). Either way the key
// signs SHA-256 with RSA PKCS#1 v1.5, and the PIN never leaves this process.
import crypto from 'node:crypto';
import fs from 'node:fs';
import forge from 'node-forge';
import { messageOf } from '../../../lib/errors';
import * as pkcs11js from 'pkcs11js';

export type SigningErrorCode =
  | 'wrong_pin'
  | 'token_locked'
  | 'no_token'
  | 'token_unavailable'
  | 'no_certificate'
  | 'certificate_expired'
  | 'certificate_not_yet_valid'
  | 'bad_certificate_file'
  | 'unsupported_key';

export class SigningError extends Error {
  constructor(
    readonly code: SigningErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface SigningKey {
  /** The signer's certificate (DER) and the CA certificates that came with it. */
  certificate: Buffer;
  chain: Buffer[];
  /** RSA PKCS#1 v1.5 signature of SHA-256(data). */
  sign(data: Buffer): Buffer;
  close(): void;
}

/** Refuses a certificate outside its validity: a signature made with it would not be accepted. */
export function checkValidity(certificateDer: Buffer, at: Date): void {
  const cert = new crypto.X509Certificate(certificateDer);
  if (Date.parse(cert.validTo) < at.getTime()) {
    throw new SigningError('certificate_expired', `the certificate expired on ${new Date(cert.validTo).toISOString().slice(0, 10)}`);
  }
  if (Date.parse(cert.validFrom) > at.getTime()) {
    throw new SigningError('certificate_not_yet_valid', `the certificate is valid only from ${new Date(cert.validFrom).toISOString()}`);
  }
}

export function openPkcs12(bytes: Buffer, password: string): SigningKey {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(bytes.toString('binary')), password);
  } catch (error) {
    const message = messageOf(error);
    if (/password|MAC/i.test(message)) throw new SigningError('wrong_pin', 'wrong password for the certificate file');
    throw new SigningError('bad_certificate_file', `not a PKCS#12 certificate file: ${message}`);
  }
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  const certs = (p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [])
    .map((bag) => bag.cert)
    .filter((c): c is forge.pki.Certificate => !!c);
  const forgeKey = keyBags[0]?.key;
  if (!forgeKey) throw new SigningError('no_certificate', 'the file holds no private key');
  // An EC key has no modulus: no certificate matches, and the file is refused below.
  const own = certs.find((c) => (c.publicKey as Partial<forge.pki.rsa.PublicKey>).n?.equals(forgeKey.n));
  if (!own) throw new SigningError('no_certificate', 'the file holds no certificate for its key');
  const der = (c: forge.pki.Certificate) => Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(c)).getBytes(), 'binary');
  const key = crypto.createPrivateKey(forge.pki.privateKeyToPem(forgeKey));
  return {
    certificate: der(own),
    chain: certs.filter((c) => c !== own).map(der),
    sign: (data) => crypto.sign('sha256', data, key),
    close: () => undefined,
  };
}

/** Libraries of the tokens in use here, tried when the operator names none. */
export const KNOWN_PKCS11_LIBRARIES = [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so',
  'C:\\Windows\\System32\\vnptca_p11_v6.dll',
  'C:\\Windows\\System32\\viettel-ca_v6.dll',
];

function tokenError(error: unknown): SigningError {
  const message = messageOf(error);
  if (/CKR_PIN_INCORRECT|CKR_PIN_LEN_RANGE|CKR_PIN_INVALID/.test(message)) return new SigningError('wrong_pin', 'wrong PIN for the token');
  if (/CKR_PIN_LOCKED|CKR_PIN_EXPIRED/.test(message)) return new SigningError('token_locked', 'the token is locked: too many wrong PINs');
  if (/CKR_TOKEN_NOT_PRESENT|CKR_DEVICE_REMOVED|CKR_SLOT_ID_INVALID/.test(message)) return new SigningError('no_token', 'no token is plugged in');
  return new SigningError('token_unavailable', `the token could not be used: ${message}`);
}

const readAttribute = (p11: pkcs11js.PKCS11, session: pkcs11js.Handle, object: pkcs11js.Handle, type: number): Buffer =>
  p11.C_GetAttributeValue(session, object, [{ type }])[0].value;

function findObjects(p11: pkcs11js.PKCS11, session: pkcs11js.Handle, template: pkcs11js.Template): pkcs11js.Handle[] {
  p11.C_FindObjectsInit(session, template);
  try {
    return p11.C_FindObjects(session, 100);
  } finally {
    p11.C_FindObjectsFinal(session);
  }
}

/** Opens the first token (or the one labelled so) holding a certificate with its private key. */
export function openPkcs11(options: { library: string; pin: string; tokenLabel?: string }): SigningKey {
  if (!fs.existsSync(options.library)) throw new SigningError('token_unavailable', `no PKCS#11 library at ${options.library}`);
  const p11 = new pkcs11js.PKCS11();
  try {
    p11.load(options.library);
    p11.C_Initialize();
  } catch (error) {
    throw tokenError(error);
  }
  let session: pkcs11js.Handle | null = null;
  const close = () => {
    try {
      if (session) p11.C_CloseSession(session);
      p11.C_Finalize();
      p11.close();
    } catch {
      // Closing a token that was pulled out fails; nothing is left to release then.
    }
  };
  try {
    const slots = p11.C_GetSlotList(true).filter((slot) => {
      const info = p11.C_GetTokenInfo(slot);
      return (info.flags & pkcs11js.CKF_TOKEN_INITIALIZED) !== 0 && (!options.tokenLabel || info.label.trim() === options.tokenLabel);
    });
    if (!slots.length) throw new SigningError('no_token', 'no token is plugged in');
    const info = p11.C_GetTokenInfo(slots[0]);
    if (info.flags & pkcs11js.CKF_USER_PIN_LOCKED) throw new SigningError('token_locked', 'the token is locked: too many wrong PINs');
    session = p11.C_OpenSession(slots[0], pkcs11js.CKF_SERIAL_SESSION);
    p11.C_Login(session, pkcs11js.CKU_USER, options.pin);
    const s = session;
    for (const cert of findObjects(p11, s, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE }])) {
      const id = readAttribute(p11, s, cert, pkcs11js.CKA_ID);
      const key = findObjects(p11, s, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
        { type: pkcs11js.CKA_ID, value: id },
      ]).at(0);
      if (!key) continue;
      const keyType = readAttribute(p11, s, key, pkcs11js.CKA_KEY_TYPE).readUIntLE(0, 4);
      if (keyType !== pkcs11js.CKK_RSA) throw new SigningError('unsupported_key', 'only RSA keys are supported');
      return {
        certificate: readAttribute(p11, s, cert, pkcs11js.CKA_VALUE),
        chain: [],
        sign: (data) => {
          try {
            p11.C_SignInit(s, { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS }, key);
            return p11.C_Sign(s, data, Buffer.alloc(1024));
          } catch (error) {
            throw tokenError(error);
          }
        },
        close,
      };
    }
    throw new SigningError('no_certificate', 'the token holds no certificate with its private key');
  } catch (error) {
    close();
    throw error instanceof SigningError ? error : tokenError(error);
  }
}
