// Upcoming briefings on this PC: received ahead, with a badge that says at a glance whether
// every document is on disk, and each briefing's agenda and documents, online or not.
import { type SubmitEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, languageOf } from '../format';
import type { BriefingReadiness, EnrolmentStatus, Profile, PublishedBriefing, SyncResult } from '../../../main/api/contract';
import { desktop } from '../desktop';
import { AgendaPanel } from '../documents/AgendaPanel';
import { DocumentPanel } from '../documents/DocumentPanel';
import { errorMessage } from './errors';

const SYNC_EVERY_MS = 30_000;

export function BriefingsView({ profile }: { profile: Profile }) {
  const { t, i18n } = useTranslation();
  const [readiness, setReadiness] = useState<BriefingReadiness[]>([]);
  const [lastSync, setLastSync] = useState<SyncResult | null>(null);
  const [opened, setOpened] = useState<PublishedBriefing | null>(null);
  const [item, setItem] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [inviteCode, setInviteCode] = useState('');
  const [enrolments, setEnrolments] = useState<EnrolmentStatus[]>([]);
  useEffect(() => {
    desktop.pointEnrolments().then(setEnrolments, () => undefined);
  }, []);

  const refresh = useCallback(() => desktop.briefingReadiness().then(setReadiness, (e: unknown) => setError(errorMessage(t, e))), [t]);
  const sync = useCallback(
    async (newInviteCode?: string) => {
      if (!profile.serverUrl) return;
      try {
        const result = await desktop.syncBriefings({ serverUrl: profile.serverUrl, inviteCode: newInviteCode });
        setLastSync(result);
        setError(null);
        if (result.invited || result.enrolled) setInviteCode('');
        if (result.enrolled) void desktop.pointEnrolments().then(setEnrolments, () => undefined);
      } catch (e) {
        setError(errorMessage(t, e));
      }
      await refresh();
    },
    [profile.serverUrl, refresh, t],
  );

  function receive(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!profile.serverUrl) return setError(t('briefings.needServer'));
    if (!inviteCode.trim()) return setError(t('errors.required', { field: t('briefings.inviteCode').toLowerCase() }));
    void sync(inviteCode.trim());
  }

  useEffect(() => {
    void refresh();
    void sync();
    const timer = setInterval(() => void sync(), SYNC_EVERY_MS);
    return () => clearInterval(timer);
  }, [sync, refresh]);
  const syncing = readiness.some((r) => r.syncing);
  useEffect(() => {
    if (!syncing) return;
    const timer = setInterval(() => void refresh(), 500);
    return () => clearInterval(timer);
  }, [syncing, refresh]);

  async function open(code: string) {
    const briefing = await desktop.getBriefing({ code }).catch(() => null);
    setOpened(briefing);
    setItem(0);
  }

  if (opened) {
    return (
      <main className="briefing-detail">
        <button type="button" onClick={() => setOpened(null)}>
          ← {t('briefings.back')}
        </button>
        <h1>{opened.title}</h1>
        <p className="muted">
          {formatDateTime(opened.startsAt, languageOf(i18n.language))} · {opened.place} · {t('briefings.chair')}: {opened.chair}
        </p>
        <div className="detail-body">
          <AgendaPanel briefing={opened} position={null} selected={item} onSelect={setItem} />
          <DocumentPanel briefing={opened} itemIndex={item} />
        </div>
      </main>
    );
  }

  return (
    <main className="briefings">
      <header className="briefings-header">
        <h1>{t('briefings.heading')}</h1>
        <button type="button" onClick={() => void sync()}>
          {t('briefings.syncNow')}
        </button>
        {lastSync && !lastSync.reachable && <span className="notice" role="status">{t('briefings.offline')}</span>}
      </header>
      <form className="receive-ahead" onSubmit={receive}>
        <label>
          {t('briefings.inviteCode')}
          <input value={inviteCode} autoComplete="off" spellCheck={false} onChange={(e) => setInviteCode(e.target.value)} />
        </label>
        <button type="submit">{t('briefings.receive')}</button>
        <span className="muted">{t('briefings.inviteHint')}</span>
      </form>
      {lastSync?.enrolled && (
        <p className="notice" role="status">
          {t('briefings.enrolled', { point: lastSync.enrolled.point, organizer: lastSync.enrolled.organizer, count: lastSync.enrolled.briefings })}
        </p>
      )}
      {enrolments.length > 0 && (
        <p className="muted" data-testid="enrolments">
          {enrolments.map((e) => t('briefings.enrolledWith', { point: e.point, organizer: e.organizer, server: e.serverUrl })).join(' ')}
        </p>
      )}
      {lastSync?.invited && (
        <p className="notice" role="status">
          {t('briefings.inviteAccepted', { seat: lastSync.invited.seat, code: lastSync.invited.briefingCode })}
        </p>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      {lastSync?.updated.map((u) => (
        <p key={u.code} className="notice" role="status">
          {t('briefings.updated', { code: u.code, version: u.version })}: {u.changes.map((c) => t(`briefings.field.${c.field}`, { defaultValue: c.field })).join(', ')}
        </p>
      ))}
      {readiness.length === 0 ? (
        <p className="muted">{t('briefings.none')}</p>
      ) : (
        <ul className="briefing-list">
          {readiness.map((r) => (
            <li key={r.code} data-testid="briefing-card" data-code={r.code}>
              <button type="button" className="briefing-card" onClick={() => void open(r.code)}>
                <strong>{r.title}</strong>
                <span className="muted">
                  {r.code} · {formatDateTime(r.startsAt, languageOf(i18n.language))}
                </span>
                <span className={`badge ${r.ready ? 'ready' : 'not-ready'}`}>
                  {r.ready ? t('briefings.ready') : t('briefings.notReady', { stored: r.documentsStored, total: r.documentsTotal })}
                </span>
                <progress max={r.bytesTotal || 1} value={r.bytesStored} aria-label={t('briefings.progress')} />
                {r.error && !r.ready && <span className="error-text">{t(`errors.download.${r.error.code}`, { defaultValue: r.error.message })}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
