// Minutes and conclusions notices: the reminder when a notice is late, the minutes of a briefing
// to finish, export, sign and issue, and the signed records this PC holds with their signature checked.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatDay, languageOf } from '../format';
import type { ConclusionsReminder, Profile, PublishedBriefing, RecordEntry, SignatureCheck } from '../../../main/api/contract';
import { desktop } from '../desktop';
import { MinutesEditor } from '../minutes/MinutesEditor';
import { RecordActions } from '../minutes/RecordActions';
import { errorMessage } from './errors';
import { TrustedAuthoritiesPanel } from './TrustedAuthoritiesPanel';

/** Each signature of a record, named by its signer's role (minutes carry the secretary's and the chair's). */
function Signatures({ entry }: { entry: RecordEntry }) {
  const { t } = useTranslation();
  if (!entry.signatures.length) return <SignatureLine check={entry.signature} />;
  return (
    <>
      {entry.signatures.map((s, i) => (
        <span key={i} className="signature" data-role={s.role ?? ''}>
          {s.role && <strong>{t('records.signatureOf', { role: t(`records.roles.${s.role}`) })} </strong>}
          <SignatureLine check={s} />{' '}
        </span>
      ))}
      {entry.awaitingChair && (
        <span className="notice" data-testid="awaiting-chair">
          {t('records.awaitingChair')}
        </span>
      )}
    </>
  );
}

function SignatureLine({ check: s }: { check: SignatureCheck }) {
  const { t, i18n } = useTranslation();
  if (!s.signed) return <span className="error">{t('records.notSigned')}</span>;
  if (!s.intact) return <span className="error" data-testid="signature-changed">{t(`records.problem.${s.problem ?? 'modified'}`)}</span>;
  const when = s.timestamp?.time ?? s.signedAt;
  const time = when ? formatDateTime(when, languageOf(i18n.language)) : '';
  const stamp = s.timestamp ? t(s.timestamp.trusted ? 'records.stamped' : 'records.stampedUntrusted', { authority: s.timestamp.authority }) : t('records.notStamped');
  if (s.trust !== 'trusted') {
    return (
      <span className="error" data-testid="signature-untrusted">
        {t('records.untrustedSignature', { name: s.signer?.name ?? '', issuer: s.signer?.issuer ?? '', time })} {stamp}
      </span>
    );
  }
  return (
    <span className="ok" data-testid="signature-valid">
      {t('records.validSignature', { name: s.signer?.name ?? '', organization: s.signer?.organization ?? '', authority: s.authority ?? '', time })} {stamp}
      {!s.certificateValidAtSigning && ` ${t('records.certificateOutOfDate')}`}
    </span>
  );
}

export function RecordsView({ profile, onProfileChange }: { profile: Profile; onProfileChange: (next: Profile) => void }) {
  const { t, i18n } = useTranslation();
  const [briefings, setBriefings] = useState<PublishedBriefing[]>([]);
  const [code, setCode] = useState('');
  const [records, setRecords] = useState<RecordEntry[]>([]);
  const [reminders, setReminders] = useState<ConclusionsReminder[]>([]);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    const [list, held, due] = await Promise.all([desktop.listBriefings(), desktop.listRecords(), desktop.conclusionsReminders()]);
    setBriefings(list);
    setRecords(held);
    setReminders(due);
    setCode((c) => c || (list.find((b) => b.code === profile.briefingCode) ?? list.at(0))?.code || '');
  }, [profile.briefingCode]);

  useEffect(() => {
    void refresh().catch((e: unknown) => setError(errorMessage(t, e)));
    // Records issued to this point arrive with the briefing sync.
    if (!profile.serverUrl) return;
    void desktop
      .syncBriefings({ serverUrl: profile.serverUrl })
      .then(() => new Promise((r) => setTimeout(r, 1500)))
      .then(refresh)
      .catch(() => undefined);
  }, [refresh, profile.serverUrl, t]);

  const briefing = briefings.find((b) => b.code === code) ?? null;
  return (
    <main className="records">
      <h1>{t('records.title')}</h1>
      {error && <p className="error">{error}</p>}
      {reminders.map((r) => (
        <p key={r.briefingCode} className={r.overdue ? 'error' : 'notice'} role="alert">
          {t(r.overdue ? 'records.reminderOverdue' : 'records.reminder', { title: r.title, due: formatDay(r.dueDay, languageOf(i18n.language)) })}
        </p>
      ))}
      <section aria-label={t('records.held')}>
        <h2>{t('records.held')}</h2>
        <TrustedAuthoritiesPanel onChanged={() => void refresh()} />
        {records.length === 0 && <p className="muted">{t('records.none')}</p>}
        <ul className="record-list">
          {records.map((r) => (
            <li key={r.sha256} data-kind={r.kind} data-origin={r.origin}>
              <strong>{t(`records.kinds.${r.kind}`)}</strong> · {r.briefingCode} · {t(`records.origin.${r.origin}`)} · <Signatures entry={r} />{' '}
              <button type="button" className="link" onClick={() => void desktop.openDocumentExternally({ sha256: r.sha256 }).catch((e: unknown) => setError(errorMessage(t, e)))}>
                {t('records.open')}
              </button>
            </li>
          ))}
        </ul>
      </section>
      <label>
        {t('records.briefing')}
        <select value={code} onChange={(e) => setCode(e.target.value)}>
          {briefings.map((b) => (
            <option key={b.code} value={b.code}>
              {b.title} ({b.code})
            </option>
          ))}
        </select>
      </label>
      {briefing && (
        <>
          <MinutesEditor key={briefing.code} briefing={briefing} />
          <RecordActions
            briefingCode={briefing.code}
            serverUrl={profile.serverUrl}
            chairSignsAlone={profile.chairSignsMinutesAlone}
            onChairSignsAloneChange={(value) => onProfileChange({ ...profile, chairSignsMinutesAlone: value })}
            onSigned={() => void refresh().catch((e: unknown) => setError(errorMessage(t, e)))}
          />
        </>
      )}
    </main>
  );
}
