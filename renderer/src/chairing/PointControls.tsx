// What a meeting point's operator does in a chaired briefing: ask for the floor, answer the roll
// call, vote, list the officials in front of the camera, and fall back to audio only.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Attendee, ControlState, VoteInfo } from '../../../sfu-server/protocol';
import type { BriefingSession } from '../briefing/BriefingSession';

interface Props {
  session: BriefingSession;
  control: ControlState;
  seatId: string;
  onError: (error: unknown) => void;
}

/** A vote's count as numbers and bars: 200 answers read at a glance, each figure written out. */
export function VoteResult({ vote }: { vote: VoteInfo }) {
  const { t } = useTranslation();
  const counts = vote.options.map((_, i) => vote.counts?.[i] ?? 0);
  const total = counts.reduce((a, b) => a + b, 0);
  return (
    <div className="vote-result" data-testid="vote-result" data-total={total}>
      <p>{t('chairing.vote.result', { question: vote.question })}</p>
      <p className="muted">{t('chairing.vote.total', { count: total })}</p>
      <ul className="vote-bars">
        {vote.options.map((option, i) => {
          const share = total ? Math.round((counts[i] * 1000) / total) / 10 : 0;
          return (
            <li key={option} data-option={option} data-count={counts[i]}>
              <span className="vote-option">{option}</span>
              <span className="vote-bar" aria-hidden>
                <span style={{ width: `${share}%` }} />
              </span>
              <span className="vote-figure">
                {counts[i]} ({share.toLocaleString('vi-VN')}%)
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export function PointControls({ session, control, seatId, onError }: Props) {
  const { t } = useTranslation();
  const act = (work: Promise<unknown>) => void work.catch(onError);
  const own = control.seats.find((s) => s.seatId === seatId);
  const queued = control.floor.queue.some((q) => q.seatId === seatId);
  const speaking = control.floor.speaker?.seatId === seatId;
  const rollCallOpen = control.rollCall && !control.rollCall.endedAt;
  const vote = control.vote;
  const [choice, setChoice] = useState<number | null>(null);
  useEffect(() => setChoice(null), [vote?.id]);
  const voted = vote ? vote.voted.includes(seatId) : false;

  return (
    <section className="point-controls" aria-label={t('chairing.point.title')}>
      {speaking ? (
        <p className="notice">{t('chairing.point.youHaveFloor')}</p>
      ) : queued ? (
        <button type="button" onClick={() => act(session.point.cancelFloorRequest())}>
          {t('chairing.point.cancelRequest')}
        </button>
      ) : (
        own?.role !== 'chair' && (
          <button type="button" onClick={() => act(session.point.requestFloor())}>
            {t('chairing.point.requestFloor')}
          </button>
        )
      )}
      {rollCallOpen && (
        <p className="notice" role="alert">
          {own?.rollCallAnsweredAt ? (
            t('chairing.point.rollCallAnswered')
          ) : (
            <button type="button" onClick={() => act(session.point.answerRollCall())}>
              {t('chairing.point.answerRollCall')}
            </button>
          )}
        </p>
      )}
      {vote && !vote.closedAt && (
        <fieldset className="vote" data-testid="vote-open">
          <legend>{vote.question}</legend>
          {voted ? (
            <p>{t('chairing.vote.thanks')}</p>
          ) : (
            <>
              {vote.options.map((option, i) => (
                <label key={option}>
                  <input type="radio" name="vote" checked={choice === i} onChange={() => setChoice(i)} /> {option}
                </label>
              ))}
              <button type="button" disabled={choice === null} onClick={() => choice !== null && act(session.point.castVote(vote.id, choice))}>
                {t('chairing.vote.send')}
              </button>
            </>
          )}
        </fieldset>
      )}
      {vote?.closedAt && <VoteResult vote={vote} />}
      <Attendees session={session} initial={own?.attendees ?? []} onError={onError} />
    </section>
  );
}

const blank = (): Attendee => ({ name: '', position: '', unit: '' });

/** The officials in front of this point's camera: what the roll call, the quorum and the minutes count. */
function Attendees({ session, initial, onError }: { session: BriefingSession; initial: Attendee[]; onError: (e: unknown) => void }) {
  const { t } = useTranslation();
  const [rows, setRows] = useState<Attendee[]>(initial.length ? initial : [blank()]);
  const [saved, setSaved] = useState(false);
  const change = (i: number, patch: Partial<Attendee>) => {
    setSaved(false);
    setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  };
  const send = () =>
    session.point
      .setAttendees(rows.filter((r) => r.name.trim()).map((r) => ({ name: r.name.trim(), position: r.position.trim(), unit: r.unit.trim() })))
      .then(() => setSaved(true), onError);
  return (
    <details className="attendees">
      <summary>{t('chairing.attendees.title')}</summary>
      {rows.map((row, i) => (
        <p key={i} className="row">
          <input aria-label={t('chairing.attendees.name')} placeholder={t('chairing.attendees.name')} value={row.name} onChange={(e) => change(i, { name: e.target.value })} />
          <input aria-label={t('chairing.attendees.position')} placeholder={t('chairing.attendees.position')} value={row.position} onChange={(e) => change(i, { position: e.target.value })} />
          <input aria-label={t('chairing.attendees.unit')} placeholder={t('chairing.attendees.unit')} value={row.unit} onChange={(e) => change(i, { unit: e.target.value })} />
        </p>
      ))}
      <button type="button" onClick={() => setRows([...rows, blank()])}>
        {t('chairing.attendees.add')}
      </button>{' '}
      <button type="button" onClick={() => void send()}>
        {t('chairing.attendees.save')}
      </button>
      {saved && <span className="muted"> {t('chairing.attendees.saved')}</span>}
    </details>
  );
}
