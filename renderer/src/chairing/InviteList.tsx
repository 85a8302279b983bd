// The invite codes of a briefing this PC published: one per seat, to send each meeting point
// (by phone, official mail or the province's messaging). Codes are shown only here: the server
// keeps just their hashes. Each line copied carries what the operator types: the server's
// address, the briefing code and the seat's code.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HeldInvite } from '../../../main/api/contract';
import { desktop } from '../desktop';
import { type Invitation, invitationText } from '../../../main/api/invitation';
import { InvitationCard } from '../invitations/InvitationCard';
import type { InvitationServer } from '../prepare/useInvitationServer';

export function InviteList({ briefingCode, version, server, title }: { briefingCode: string; version: number; server: InvitationServer; title: string }) {
  const { t } = useTranslation();
  const [invites, setInvites] = useState<HeldInvite[]>([]);
  /** What was copied: 'list', or the seat whose invitation it was. */
  const [copied, setCopied] = useState<{ what: string; ok: boolean } | null>(null);
  /** The seat whose invitation is shown with its QR code. */
  const [shown, setShown] = useState<string | null>(null);
  useEffect(() => {
    desktop.listInvites({ briefingCode }).then(setInvites, () => setInvites([]));
  }, [briefingCode, version]);
  if (!invites.length) return null;
  const asText = [
    t('prepare.invites.header', { server: server.serverUrl, code: briefingCode }),
    ...invites.map((i) => `${i.seat}: ${i.code}`),
  ].join('\n');
  const copy = (what: string, text: string) =>
    void navigator.clipboard.writeText(text).then(
      () => setCopied({ what, ok: true }),
      () => setCopied({ what, ok: false }),
    );
  const invitationOf = (invite: HeldInvite): Invitation => ({ serverUrl: server.serverUrl, caFingerprint: server.caFingerprint, briefingCode, inviteCode: invite.code });
  const shownInvite = invites.find((invite) => invite.seat === shown);
  return (
    <section className="invites" aria-label={t('prepare.invites.title')}>
      <h2>{t('prepare.invites.title')}</h2>
      <p className="muted">{t('prepare.invites.hint')}</p>
      <p>{t('prepare.invites.header', { server: server.serverUrl, code: briefingCode })}</p>
      {server.caFingerprint && <p className="muted">{t('prepare.invites.ca', { fingerprint: server.caFingerprint })}</p>}
      <table>
        <tbody>
          {invites.map((invite) => (
            <tr key={`${invite.role}-${invite.seat}`} data-invite-seat={invite.seat}>
              <td>{invite.seat}</td>
              <td>{t(`chairing.role.${invite.role}`)}</td>
              <td>
                <code data-testid="invite-code">{invite.code}</code>
              </td>
              <td>
                <button type="button" aria-label={t('prepare.invites.copyOneFor', { seat: invite.seat })} onClick={() => copy(invite.seat, invitationText({ ...invitationOf(invite), seat: invite.seat, title }))}>
                  {t('prepare.invites.copyOne')}
                </button>{' '}
                <button type="button" aria-label={t('prepare.invites.showQrFor', { seat: invite.seat })} aria-pressed={shown === invite.seat} onClick={() => setShown(shown === invite.seat ? null : invite.seat)}>
                  {t('prepare.invites.showQr')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shownInvite && <InvitationCard invitation={invitationOf(shownInvite)} seat={shownInvite.seat} title={title} onClose={() => setShown(null)} />}
      <button type="button" onClick={() => copy('list', asText)}>
        {t('prepare.invites.copy')}
      </button>
      {copied && (
        <span role="status" className={copied.ok ? 'notice' : 'error'}>
          {!copied.ok ? t('prepare.invites.copyFailed') : copied.what === 'list' ? t('prepare.invites.copied') : t('prepare.invites.copiedOne', { seat: copied.what })}
        </span>
      )}
    </section>
  );
}
