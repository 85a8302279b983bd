// The link and QR code on an enrolment sheet: `giaoban://enrol?server=…&code=…&ca=…`, read by the
// same paste, scan and link handling as an invitation.
import { serverAddressProblem } from './serverAddress';

export interface EnrolmentLink {
  serverUrl: string;
  code: string;
  caFingerprint: string | null;
}

const LINK = /giaoban:\/\/enrol\?[^\s"'<>]+/i;
const FINGERPRINT = /^([0-9A-F]{2}:?){32}$/i;

export function enrolmentLink(enrolment: EnrolmentLink): string {
  const query = new URLSearchParams({ server: enrolment.serverUrl, code: enrolment.code });
  if (enrolment.caFingerprint) query.set('ca', enrolment.caFingerprint.replace(/:/g, ''));
  return `giaoban://enrol?${query.toString()}`;
}

export function readEnrolmentLink(text: string): EnrolmentLink | null {
  const link = LINK.exec(text)?.[0];
  if (!link) return null;
  const query = new URLSearchParams(link.slice(link.indexOf('?') + 1));
  const serverUrl = query.get('server') ?? '';
  const code = query.get('code') ?? '';
  const ca = query.get('ca');
  if (!serverUrl || serverAddressProblem(serverUrl) === 'bad_address' || !/^GBDC-[0-9A-Z-]{24,40}$/i.test(code)) return null;
  return { serverUrl, code, caFingerprint: ca && FINGERPRINT.test(ca) ? ca.replace(/:/g, '').toUpperCase().replace(/(..)(?!$)/g, '$1:') : null };
}
