// The secretary's minutes, item by item, saved as they are typed (see Autosaver), reopened where
// the secretary was, with attendance filled in from who joined and item times from the briefing.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../format';
import { ApiError, type Attendance, type Minutes, type PublishedBriefing } from '../../../main/api/contract';
import type { AgendaPosition, ControlState } from '../../../sfu-server/protocol';
import { withChairing } from './fromChairing';
import { onProceedingsRecorded } from '../briefing/proceedingsRecorder';
import { desktop } from '../desktop';
import { errorMessage } from '../views/errors';
import { type AutosaveState, Autosaver } from './Autosaver';
import { ItemForm } from './ItemForm';
import { MinutesVersions } from './MinutesVersions';

interface Props {
  briefing: PublishedBriefing;
  /** In a live briefing: the chair's agenda position and who is connected now. */
  live?: { agenda: AgendaPosition | null; pointsPresent: string; control?: ControlState | null };
}

const blankItem = (): Minutes['items'][number] => ({
  proceedings: '',
  speakers: [],
  votes: [],
  conclusions: '',
  assignments: [],
  startedAt: null,
  endedAt: null,
});

function fresh(briefing: PublishedBriefing): Minutes {
  return {
    briefingCode: briefing.code,
    meta: { minutesNumber: '', conclusionsNumber: '', parentAgency: '', recipients: [], noticeSignerAuthority: '', noticeSignerPosition: '' },
    items: briefing.agenda.map(blankItem),
    attendance: [],
    cursor: null,
  };
}

/** Derived attendance, keeping what the secretary typed about each point. */
function mergeAttendance(derived: Attendance[], current: Attendance[]): Attendance[] {
  const typed = new Map(current.map((a) => [a.point, a]));
  return derived.map((a) => {
    const mine = typed.get(a.point);
    return mine ? { ...a, people: mine.people, absenceReason: mine.absenceReason, status: a.status === 'absent' ? mine.status : a.status } : a;
  });
}

/** The briefing's own times: an item starts when the chair moves to it, and ends the one before. */
function stampItems(minutes: Minutes, agenda: AgendaPosition): Minutes {
  const items = minutes.items.map((item, index) => {
    if (index === agenda.index) return item.startedAt ? item : { ...item, startedAt: agenda.startedAt, endedAt: null };
    if (item.startedAt && !item.endedAt && item.startedAt <= agenda.startedAt) return { ...item, endedAt: agenda.startedAt };
    return item;
  });
  return { ...minutes, items };
}

export function MinutesEditor({ briefing, live }: Props) {
  const { t } = useTranslation();
  const [minutes, setMinutes] = useState<Minutes | null>(null);
  const [selected, setSelected] = useState(0);
  const [save, setSave] = useState<AutosaveState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const saver = useRef<Autosaver<Minutes> | null>(null);
  const latest = useRef<Minutes | null>(null);
  const pendingFocus = useRef<{ itemIndex: number; field: string } | null>(null);

  const update = useCallback((next: Minutes) => {
    latest.current = next;
    setMinutes(next);
    saver.current?.change(next);
  }, []);

  const load = useCallback(async () => {
    const saved = await desktop.getMinutes({ briefingCode: briefing.code });
    const base = saved?.minutes ?? fresh(briefing);
    // A briefing republished with more items gets blank ones for them.
    const items = [...base.items, ...briefing.agenda.slice(base.items.length).map(blankItem)];
    const attendance = mergeAttendance(await desktop.getAttendance({ briefingCode: briefing.code }), base.attendance);
    const minutesNow = { ...base, items, attendance };
    saver.current = new Autosaver<Minutes>((m, baseRevision) => desktop.saveMinutes({ minutes: m, baseRevision }), saved?.revision ?? 0, setSave, {
      isConflict: (e) => e instanceof ApiError && e.code === 'conflict',
    });
    setSave(saver.current.current);
    latest.current = minutesNow;
    setMinutes(minutesNow);
    if (base.cursor) {
      setSelected(Math.min(base.cursor.itemIndex, items.length - 1));
      pendingFocus.current = base.cursor;
    }
    if (JSON.stringify(attendance) !== JSON.stringify(base.attendance)) saver.current.change(minutesNow);
  }, [briefing]);

  useEffect(() => {
    load().catch((e: unknown) => setError(errorMessage(t, e)));
    const flush = () => void saver.current?.flush();
    window.addEventListener('beforeunload', flush);
    return () => {
      window.removeEventListener('beforeunload', flush);
      flush();
    };
  }, [load, t]);

  // Back where the secretary was typing, caret at the end.
  useEffect(() => {
    const cursor = pendingFocus.current;
    if (!minutes || !cursor || cursor.itemIndex !== selected) return;
    pendingFocus.current = null;
    const field = document.querySelector<HTMLTextAreaElement>(`[data-item="${cursor.itemIndex}"][data-field="${cursor.field}"]`);
    field?.focus();
    field?.setSelectionRange(field.value.length, field.value.length);
  }, [minutes, selected]);

  const agenda = live?.agenda ?? null;
  useEffect(() => {
    if (!agenda || !latest.current) return;
    setSelected(agenda.index);
    const stamped = stampItems(latest.current, agenda);
    if (JSON.stringify(stamped.items) !== JSON.stringify(latest.current.items)) update(stamped);
  }, [agenda, minutes === null, update]); // eslint-disable-line react-hooks/exhaustive-deps -- runs on what the briefing says; reads the newest minutes through a ref

  const control = live?.control ?? null;
  useEffect(() => {
    if (!control || !latest.current) return;
    const filled = withChairing(latest.current, control);
    if (JSON.stringify(filled) !== JSON.stringify(latest.current)) update(filled);
  }, [control, minutes === null, update]); // eslint-disable-line react-hooks/exhaustive-deps -- runs on what the briefing says; reads the newest minutes through a ref

  // Attendance is the desktop's (from the server's account): re-read each time a newer account
  // is kept, and once this PC's own presence is recorded (it sits in the chair's room).
  const loaded = minutes !== null;
  useEffect(() => {
    if (!loaded) return;
    const reread = () =>
      void desktop.getAttendance({ briefingCode: briefing.code }).then((derived) => {
        const current = latest.current;
        if (!current) return;
        const attendance = mergeAttendance(derived, current.attendance);
        if (JSON.stringify(attendance) !== JSON.stringify(current.attendance)) update({ ...current, attendance });
      });
    const stop = onProceedingsRecorded(briefing.code, reread);
    const timer = setTimeout(reread, 1500);
    return () => {
      stop();
      clearTimeout(timer);
    };
  }, [loaded, briefing.code, update, live?.pointsPresent]);

  if (error) return <p className="error">{error}</p>;
  if (!minutes) return <p className="muted">{t('minutes.loading')}</p>;

  const focusField = (field: string) => {
    const cursor = { itemIndex: selected, field };
    if (latest.current && JSON.stringify(latest.current.cursor) !== JSON.stringify(cursor)) update({ ...latest.current, cursor });
  };
  const setAttendance = (index: number, patch: Partial<Attendance>) =>
    update({ ...minutes, attendance: minutes.attendance.map((a, i) => (i === index ? { ...a, ...patch } : a)) });

  return (
    <section className="minutes" aria-label={t('minutes.title')}>
      <header className="minutes-header">
        <h2>{t('minutes.title')}</h2>
        <SaveStatus
          state={save}
          onKeepMine={() => void desktop.getMinutes({ briefingCode: briefing.code }).then((stored) => saver.current?.resume(stored?.revision ?? 0))}
          onTakeTheirs={() => void load()}
        />
      </header>
      <div className="minutes-meta">
        <label>
          {t('minutes.number')}
          <input value={minutes.meta.minutesNumber} placeholder="12/BB-UBND" onChange={(e) => update({ ...minutes, meta: { ...minutes.meta, minutesNumber: e.target.value } })} />
        </label>
        <label>
          {t('minutes.conclusionsNumber')}
          <input value={minutes.meta.conclusionsNumber} placeholder="15/TB-UBND" onChange={(e) => update({ ...minutes, meta: { ...minutes.meta, conclusionsNumber: e.target.value } })} />
        </label>
        <label>
          {t('minutes.noticeSignerAuthority')}
          <input value={minutes.meta.noticeSignerAuthority} placeholder="KT. CHỦ TỊCH" list="notice-signer-authorities" onChange={(e) => update({ ...minutes, meta: { ...minutes.meta, noticeSignerAuthority: e.target.value } })} />
          <datalist id="notice-signer-authorities">
            <option value="KT. CHỦ TỊCH" />
            <option value="TL. CHỦ TỊCH" />
            <option value="TM. ỦY BAN NHÂN DÂN" />
          </datalist>
        </label>
        <label>
          {t('minutes.noticeSignerPosition')}
          <input value={minutes.meta.noticeSignerPosition} placeholder="PHÓ CHỦ TỊCH" onChange={(e) => update({ ...minutes, meta: { ...minutes.meta, noticeSignerPosition: e.target.value } })} />
        </label>
      </div>
      <nav className="minutes-items" role="tablist" aria-label={t('documents.agenda')}>
        {briefing.agenda.map((item, index) => (
          <button key={index} type="button" role="tab" aria-selected={index === selected} onClick={() => setSelected(index)}>
            {index + 1}. {item.title}
          </button>
        ))}
      </nav>
      <ItemForm
        key={selected}
        item={minutes.items[selected]}
        itemIndex={selected}
        onFocusField={focusField}
        onChange={(item) => update({ ...minutes, cursor: minutes.cursor, items: minutes.items.map((it, i) => (i === selected ? item : it)) })}
      />
      <fieldset className="minutes-attendance">
        <legend>{t('minutes.attendance')}</legend>
        <table>
          <tbody>
            {minutes.attendance.map((a, index) => (
              <tr key={a.point} data-point={a.point} data-status={a.status} data-excluded={a.excluded ? 'yes' : undefined} className={a.excluded ? 'excluded' : undefined}>
                <th scope="row">
                  {a.point}{' '}
                  <button type="button" aria-label={t(a.excluded ? 'minutes.includeRow' : 'minutes.excludeRow', { point: a.point })} onClick={() => setAttendance(index, { excluded: !a.excluded })}>
                    {t(a.excluded ? 'minutes.include' : 'minutes.exclude')}
                  </button>
                </th>
                <td>
                  <select aria-label={t('minutes.statusOf', { point: a.point })} value={a.status} onChange={(e) => setAttendance(index, { status: e.target.value as Attendance['status'], corrected: true })}>
                    {(['online', 'in_room', 'absent'] as const).map((s) => (
                      <option key={s} value={s}>
                        {t(`minutes.status.${s}`)}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="muted">{a.joinedAt ? formatTime(a.joinedAt, { seconds: true }) : ''}{a.leftAt ? ` – ${formatTime(a.leftAt, { seconds: true })}` : ''}</td>
                <td>
                  {a.status === 'absent' ? (
                    <input aria-label={t('minutes.absenceReason')} placeholder={t('minutes.absenceReason')} value={a.absenceReason} onChange={(e) => setAttendance(index, { absenceReason: e.target.value })} />
                  ) : (
                    <input aria-label={t('minutes.people')} placeholder={t('minutes.people')} value={a.people} onChange={(e) => setAttendance(index, { people: e.target.value })} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </fieldset>
      <MinutesVersions briefingCode={briefing.code} onRestored={() => void load()} />
    </section>
  );
}

function SaveStatus({ state, onKeepMine, onTakeTheirs }: { state: AutosaveState | null; onKeepMine: () => void; onTakeTheirs: () => void }) {
  const { t } = useTranslation();
  if (!state) return null;
  if (state.status === 'conflict') {
    return (
      <div className="error" role="alert">
        {t('minutes.conflict')}{' '}
        <button type="button" onClick={onKeepMine}>{t('minutes.keepMine')}</button>{' '}
        <button type="button" onClick={onTakeTheirs}>{t('minutes.takeTheirs')}</button>
      </div>
    );
  }
  if (state.status === 'error') return <p className="error" role="alert">{t('minutes.saveFailed')}</p>;
  const text = state.status === 'saved' ? (state.savedAt ? t('minutes.savedAt', { time: formatTime(state.savedAt, { seconds: true }) }) : '') : t('minutes.saving');
  return (
    <span className="muted" data-testid="minutes-status" data-status={state.status} data-revision={state.revision}>
      {text}
    </span>
  );
}
