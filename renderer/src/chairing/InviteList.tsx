// The invite codes of a briefing this PC published: one per seat, to send each meeting point
// (by phone, official mail or the province's messaging). Codes are shown only here: the server
// keeps just their hashes.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HeldInvite } from '../../../main/api/contract';
import { desktop } from '../desktop';

export function InviteList({ briefingCode, version }: { briefingCode: string; version: number }) {
  const { t } = useTranslation();
  const [invites, setInvites] = useState<HeldInvite[]>([]);
  useEffect(() => {
    desktop.listInvites({ briefingCode }).then(setInvites, () => setInvites([]));
  }, [briefingCode, version]);
  if (!invites.length) return null;
  const asText = invites.map((i) => `${i.seat}: ${i.code}`).join('\n');
  return (
    <section className="invites" aria-label={t('prepare.invites.title')}>
      <h2>{t('prepare.invites.title')}</h2>
      <p className="muted">{t('prepare.invites.hint')}</p>
      <table>
        <tbody>
          {invites.map((invite) => (
            <tr key={`${invite.role}-${invite.seat}`} data-invite-seat={invite.seat}>
              <td>{invite.seat}</td>
              <td>{t(`chairing.role.${invite.role}`)}</td>
              <td>
                <code data-testid="invite-code">{invite.code}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => void navigator.clipboard.writeText(asText).catch(() => undefined)}>
        {t('prepare.invites.copy')}
      </button>
    </section>
  );
}
