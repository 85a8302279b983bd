// The host unit's directory of meeting points in Chuẩn bị: imported once from its own list, a
// whole group invited in one click, every point enrolled with the server once and its code
// handed out on a printed sheet, so the weekly briefing reaches each point with no new code.
import { type ChangeEvent, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DirectoryPoint, EnrolledPoint } from '../../../main/api/contract';
import { desktop } from '../desktop';
import { fileBase64 } from '../fileBase64';
import { errorMessage } from '../views/errors';

type Message = { kind: 'notice' | 'error'; text: string; lines?: string[] };

export function DirectoryPanel({ serverUrl, onInvite }: { serverUrl: string; onInvite: (names: string[]) => void }) {
  const { t } = useTranslation();
  const [points, setPoints] = useState<DirectoryPoint[]>([]);
  const [enrolled, setEnrolled] = useState<EnrolledPoint[]>([]);
  const [message, setMessage] = useState<Message | null>(null);
  const [busy, setBusy] = useState(false);
  /** The point whose code was lost or leaked, to withdraw or renew. */
  const [chosen, setChosen] = useState('');
  const load = useCallback(async () => {
    setPoints(await desktop.listDirectory().catch(() => []));
    setEnrolled(serverUrl ? await desktop.listEnrolled({ serverUrl }).catch(() => []) : []);
  }, [serverUrl]);
  useEffect(() => void load(), [load]);
  const groups = useMemo(() => {
    const byGroup = new Map<string, string[]>();
    for (const p of points) byGroup.set(p.group, [...(byGroup.get(p.group) ?? []), p.name]);
    return [...byGroup.entries()];
  }, [points]);
  const enrolledCount = enrolled.filter((p) => p.enrolledAt).length;

  async function run(work: () => Promise<Message>) {
    setBusy(true);
    try {
      setMessage(await work());
      await load();
    } catch (e) {
      setMessage({ kind: 'error', text: errorMessage(t, e) });
    } finally {
      setBusy(false);
    }
  }

  function importFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    void run(async () => {
      const answer = await desktop.importDirectory({ name: file.name, dataBase64: await fileBase64(file) });
      return answer.ok ? { kind: 'notice', text: t('directory.imported', answer) } : { kind: 'error', text: answer.message, lines: answer.lines };
    });
  }

  const enrol = () =>
    void run(async () => {
      const answer = await desktop.enrolPoints({ serverUrl, points: null, renew: false });
      return { kind: 'notice', text: t('directory.enrolledNow', { count: answer.issued }) };
    });
  const chosenPoint = enrolled.find((p) => p.enrolledAt && p.point === chosen.trim());
  const revoke = (renew: boolean) =>
    chosenPoint &&
    void run(async () => {
      if (renew) await desktop.enrolPoints({ serverUrl, points: [chosenPoint.point], renew: true });
      else await desktop.revokeEnrolment({ serverUrl, point: chosenPoint.point });
      setChosen('');
      return { kind: 'notice', text: t(renew ? 'directory.renewed' : 'directory.revoked', { point: chosenPoint.point }) };
    });
  const sheet = (format: 'pdf' | 'csv') =>
    void run(async () => {
      const answer = await desktop.exportEnrolmentSheet({ serverUrl, format });
      return answer.path ? { kind: 'notice', text: t('directory.sheetSaved', { path: answer.path, count: answer.points }) } : { kind: 'notice', text: t('directory.sheetCancelled') };
    });

  return (
    <section className="directory wide" aria-label={t('directory.title')}>
      <h2>{t('directory.title')}</h2>
      <label className="file-button">
        {t('directory.import')}
        <input type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" onChange={importFile} disabled={busy} />
      </label>
      <small className="muted">{t('directory.importHint')}</small>
      {points.length > 0 && (
        <div className="directory-groups" role="group" aria-label={t('directory.inviteGroups')}>
          {groups.map(([group, names]) => (
            <button key={group} type="button" className="small" onClick={() => onInvite(names)}>
              {t('directory.inviteGroup', { group, count: names.length })}
            </button>
          ))}
          <button type="button" className="small" onClick={() => onInvite(points.map((p) => p.name))}>
            {t('directory.inviteAll', { count: points.length })}
          </button>
        </div>
      )}
      {points.length > 0 && serverUrl && (
        <div className="directory-enrol">
          <span data-testid="enrolled-count">{t('directory.enrolledCount', { enrolled: enrolledCount, total: points.length })}</span>
          {enrolledCount < points.length && (
            <button type="button" disabled={busy} onClick={enrol}>
              {t('directory.enrol', { count: points.length - enrolledCount })}
            </button>
          )}
          {enrolledCount > 0 && (
            <>
              <button type="button" disabled={busy} onClick={() => sheet('pdf')}>
                {t('directory.sheetPdf')}
              </button>
              <button type="button" disabled={busy} onClick={() => sheet('csv')}>
                {t('directory.sheetCsv')}
              </button>
            </>
          )}
          {enrolledCount > 0 && (
            <span className="directory-revoke">
              <input list="enrolled-points" aria-label={t('directory.lostCode')} placeholder={t('directory.lostCode')} value={chosen} onChange={(e) => setChosen(e.target.value)} />
              <datalist id="enrolled-points">
                {enrolled.filter((p) => p.enrolledAt).map((p) => (
                  <option key={p.point} value={p.point} />
                ))}
              </datalist>
              <button type="button" disabled={busy || !chosenPoint} onClick={() => revoke(false)}>
                {t('directory.revoke')}
              </button>
              <button type="button" disabled={busy || !chosenPoint} onClick={() => revoke(true)}>
                {t('directory.renew')}
              </button>
            </span>
          )}
        </div>
      )}
      {message && (
        <div role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind}>
          {message.text}
          {message.lines && message.lines.length > 0 && (
            <ul>
              {message.lines.slice(0, 20).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
