// The invite codes of a briefing this PC published: one per seat, to send each meeting point
// (by phone, official mail or the province's messaging). Codes are shown only here: the server
// keeps just their hashes. Each line copied carries what the operator types: the server's
// address, the briefing code and the seat's code.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HeldInvite } from '../../../main/api/contract';
import { desktop } from '../desktop';
import { invitationText } from '../../../main/api/invitation';
import type { InvitationServer } from '../prepare/useInvitationServer';

export function InviteList({ briefingCode, version, server, title }: { briefingCode: string; version: number; server: InvitationServer; title: string }) {
  const { t } = useTranslation();
  const [invites, setInvites] = useState<HeldInvite[]>([]);
  /** What was copied: 'list', or the seat whose invitation it was. */
  const [copied, setCopied] = useState<{ what: string; ok: boolean } | null>(null);
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
  const invitationOf = (invite: HeldInvite) => invitationText({ serverUrl: server.serverUrl, caFingerprint: server.caFingerprint, briefingCode, inviteCode: invite.code, seat: invite.seat, title });
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
                <button type="button" aria-label={t('prepare.invites.copyOneFor', { seat: invite.seat })} onClick={() => copy(invite.seat, invitationOf(invite))}>
                  {t('prepare.invites.copyOne')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
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
