// The invitations of briefings published from this PC, kept: the codes of last week's briefing
// are here whenever a commune calls for its code again, without publishing a new version.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublishedBriefing } from '../../../main/api/contract';
import { InviteList } from '../chairing/InviteList';
import type { InvitationServer } from './useInvitationServer';
import { desktop } from '../desktop';
import { formatDateTime, languageOf } from '../format';

export function PublishedInvitations({ server, version, exclude }: { server: InvitationServer; version: number; exclude: string | null }) {
  const { t, i18n } = useTranslation();
  const [briefings, setBriefings] = useState<PublishedBriefing[]>([]);
  useEffect(() => {
    void (async () => {
      const all = await desktop.listBriefings().catch(() => []);
      const withCodes = await Promise.all(all.map(async (b) => ((await desktop.listInvites({ briefingCode: b.code }).catch(() => [])).length ? b : null)));
      setBriefings(withCodes.filter((b): b is PublishedBriefing => b !== null && b.code !== exclude).reverse());
    })();
  }, [version, exclude]);
  if (!briefings.length) return null;
  return (
    <section className="published-invitations">
      <h2>{t('prepare.keptInvitations')}</h2>
      {briefings.map((b) => (
        <details key={b.code}>
          <summary>
            {b.title} — {formatDateTime(b.startsAt, languageOf(i18n.language))} ({b.code})
          </summary>
          <InviteList briefingCode={b.code} version={b.version} server={server} title={b.title} />
        </details>
      ))}
    </section>
  );
}
