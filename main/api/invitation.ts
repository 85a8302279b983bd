// One invitation per meeting point that carries everything its operator would otherwise type:
// the server's address, the briefing code and the point's invite code, as a text to read and a
// giaoban:// link to paste. Made where the briefing is published, read on the pre-join screen.
import { serverAddressProblem } from './serverAddress';
import { enrolmentLink, readEnrolmentLink } from './enrolmentLink';

export interface Invitation {
  serverUrl: string;
  briefingCode: string;
  inviteCode: string;
  /** The SHA-256 fingerprint of the server's CA ("AB:CD:…"), when the server has TLS: the
   * meeting point trusts the server by it, with no root certificate to install. */
  caFingerprint?: string | null;
}

const FINGERPRINT = /^([0-9A-F]{2}:?){32}$/i;

const LINK = /giaoban:\/\/join\?[^\s"'<>]+/i;

export function invitationLink(invitation: Invitation): string {
  const query = new URLSearchParams({ server: invitation.serverUrl, briefing: invitation.briefingCode, invite: invitation.inviteCode });
  if (invitation.caFingerprint) query.set('ca', invitation.caFingerprint.replace(/:/g, ''));
  return `giaoban://join?${query.toString()}`;
}

/** The text sent to a point: a line each for a person to read, then the link for the app. */
export function invitationText(invitation: Invitation & { seat: string; title: string }): string {
  return [
    `Giấy mời dự: ${invitation.title}`,
    `Điểm cầu: ${invitation.seat}`,
    `Máy chủ: ${invitation.serverUrl}`,
    `Mã cuộc giao ban: ${invitation.briefingCode}`,
    `Mã mời: ${invitation.inviteCode}`,
    ...(invitation.caFingerprint ? [`Dấu vân tay CA máy chủ: ${invitation.caFingerprint}`] : []),
    invitationLink(invitation),
  ].join('\n');
}

function valid(candidate: Partial<Invitation>): Invitation | null {
  const { serverUrl, briefingCode, inviteCode, caFingerprint } = candidate;
  if (!serverUrl || !briefingCode || !inviteCode || serverAddressProblem(serverUrl) === 'bad_address') return null;
  const ca = caFingerprint && FINGERPRINT.test(caFingerprint) ? caFingerprint.replace(/:/g, '').toUpperCase().replace(/(..)(?!$)/g, '$1:') : null;
  return { serverUrl, briefingCode, inviteCode, caFingerprint: ca };
}

/** The invitation link among a program's arguments, as the operating system passes a clicked
 * giaoban:// link; rewritten from what was read, so nothing else of the argument travels on. */
export function invitationLinkIn(args: readonly string[]): string | null {
  for (const arg of args) {
    if (!/^giaoban:\/\//i.test(arg) || arg.length > 2000) continue;
    const read = readInvitation(arg);
    if (read) return invitationLink(read);
    const enrolment = readEnrolmentLink(arg);
    if (enrolment) return enrolmentLink(enrolment);
  }
  return null;
}

/** Reads an invitation pasted whole (the link, or the text's labelled lines); null when the
 * text holds no complete invitation. */
export function readInvitation(text: string): Invitation | null {
  const link = LINK.exec(text)?.[0];
  if (link) {
    const query = new URLSearchParams(link.slice(link.indexOf('?') + 1));
    const fromLink = valid({ serverUrl: query.get('server') ?? undefined, briefingCode: query.get('briefing') ?? undefined, inviteCode: query.get('invite') ?? undefined, caFingerprint: query.get('ca') });
    if (fromLink) return fromLink;
  }
  const line = (label: string) => new RegExp(`^\\s*${label}\\s*:\\s*(\\S+)\\s*$`, 'imu').exec(text.normalize('NFC'))?.[1];
  return valid({ serverUrl: line('Máy chủ'), briefingCode: line('Mã cuộc giao ban'), inviteCode: line('Mã mời'), caFingerprint: line('Dấu vân tay CA máy chủ') });
}
