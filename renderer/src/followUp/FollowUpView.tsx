// "Việc cần theo dõi": the assignments this PC follows (the host's all, a commune's own), what is
// due or late, the assignee's reports, and the calendar the deadlines count on.
import { type ChangeEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssignmentView, CalendarStatus, FollowUpList, FollowUpReminder, Profile } from '../../../main/api/contract';
import { desktop } from '../desktop';
import { fileBase64 } from '../fileBase64';
import { formatDateTime, formatDay, languageOf } from '../format';
import { errorMessage } from '../views/errors';
import { AssignmentTable } from './AssignmentTable';
import { ReportForm } from './ReportForm';

export function FollowUpView({ profile, reminders }: { profile: Profile; reminders: FollowUpReminder[] }) {
  const { t, i18n } = useTranslation();
  const language = languageOf(i18n.language);
  const [list, setList] = useState<FollowUpList | null>(null);
  const [calendar, setCalendar] = useState<CalendarStatus | null>(null);
  const [reporting, setReporting] = useState<number | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'notice'; text: string } | null>(null);

  const load = useCallback(async () => {
    desktop.calendarStatus().then(setCalendar, () => undefined);
    if (!profile.serverUrl) return;
    try {
      setList(await desktop.listAssignments({ serverUrl: profile.serverUrl }));
    } catch (e) {
      setMessage({ kind: 'error', text: errorMessage(t, e) });
    }
  }, [profile.serverUrl, t]);
  useEffect(() => void load(), [load]);

  async function importNotice(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    try {
      setCalendar(await desktop.importHolidayNotice({ dataBase64: await fileBase64(file) }));
      setMessage({ kind: 'notice', text: t('followUp.noticeImported', { name: file.name }) });
    } catch (e) {
      setMessage({ kind: 'error', text: errorMessage(t, e) });
    }
  }

  function reported(item: AssignmentView) {
    setReporting(null);
    setMessage({ kind: 'notice', text: t('followUp.reported', { task: item.task }) });
    void load();
  }

  const mine = list?.assignments.filter((a) => a.mine) ?? [];
  const others = list?.assignments.filter((a) => !a.mine) ?? [];
  return (
    <main className="follow-up">
      <h1>{t('followUp.heading')}</h1>
      {!profile.serverUrl && <p className="muted">{t('briefings.needServer')}</p>}
      {reminders.length > 0 && (
        <ul className="reminders" aria-label={t('followUp.reminders')}>
          {reminders.map((r) => (
            <li key={r.assignment.id} className={r.kind === 'overdue' ? 'error' : 'notice'}>
              {t(`followUp.reminder.${r.kind}`, { task: r.assignment.task, unit: r.assignment.point ?? r.assignment.unit, day: formatDay(r.assignment.deadline, language) })}
            </li>
          ))}
        </ul>
      )}
      {message && (
        <p className={message.kind} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      {list?.stale && <p className="notice">{t('followUp.stale', { time: list.fetchedAt ? formatDateTime(list.fetchedAt, language) : '—' })}</p>}
      {mine.length > 0 && (
        <section>
          <h2>{t('followUp.mine')}</h2>
          <AssignmentTable
            items={mine}
            action={(item) =>
              reporting === item.id ? (
                <ReportForm serverUrl={profile.serverUrl} item={item} onReported={reported} />
              ) : (
                <button type="button" onClick={() => setReporting(item.id)}>
                  {t('followUp.report')}
                </button>
              )
            }
          />
        </section>
      )}
      {(others.length > 0 || !mine.length) && (
        <section>
          <h2>{t('followUp.all')}</h2>
          <AssignmentTable items={others} />
        </section>
      )}
      <section className="calendar">
        <h2>{t('followUp.calendar')}</h2>
        {calendar?.years.map((y) => (
          <p key={y.year}>{y.notice ? t('followUp.yearNotice', { year: y.year, notice: y.notice }) : t('followUp.yearByLaw', { year: y.year })}</p>
        ))}
        {calendar?.missingNotice && (
          <p className="notice" role="status">
            {t('followUp.noticeMissing', { year: calendar.missingNotice })}
          </p>
        )}
        <label className="file">
          {t('followUp.importNotice')}
          <input type="file" accept=".json,application/json" onChange={(e) => void importNotice(e)} />
        </label>
      </section>
    </main>
  );
}
