// The chair's controls: who waits in the lobby, the lock, the floor (mode, queue, speaker, mute),
// the roll call and votes.
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ControlState } from '../../../sfu-server/protocol';
import type { BriefingSession } from '../briefing/BriefingSession';
import { VoteResult } from './PointControls';
import { LobbyList } from './LobbyList';

interface Props {
  session: BriefingSession;
  control: ControlState;
  onError: (error: unknown) => void;
}

const DEFAULT_OPTIONS = 'Tán thành\nKhông tán thành\nÝ kiến khác';

export function ChairPanel({ session, control, onError }: Props) {
  const { t } = useTranslation();
  const [question, setQuestion] = useState('');
  const [options, setOptions] = useState(DEFAULT_OPTIONS);
  const act = (work: Promise<unknown>) => void work.catch(onError);
  const { floor, vote } = control;
  const openVote = vote && !vote.closedAt ? vote : null;

  function startVote(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const list = options.split('\n').map((o) => o.trim()).filter(Boolean);
    act(session.chair.openVote(question.trim(), list).then(() => setQuestion('')));
  }

  return (
    <section className="chair-panel" aria-label={t('chairing.chair.title')}>
      <h2>{t('chairing.chair.title')}</h2>
      <LobbyList control={control} session={session} act={act} />
      <p className="row">
        <label>
          <input type="checkbox" checked={control.locked} onChange={(e) => act(session.chair.setLocked(e.target.checked))} />{' '}
          {t('chairing.chair.lock')}
        </label>
        <label>
          <input
            type="checkbox"
            checked={floor.mode === 'briefing'}
            onChange={(e) => act(session.chair.setFloorMode(e.target.checked ? 'briefing' : 'discussion'))}
          />{' '}
          {t('chairing.chair.briefingMode')}
        </label>
        <button type="button" onClick={() => act(session.chair.muteAll())}>
          {t('chairing.chair.muteAll')}
        </button>
      </p>

      <h3>{t('chairing.chair.floor')}</h3>
      {floor.speaker ? (
        <p data-testid="floor-speaker">
          {t('chairing.chair.speaking', { point: floor.speaker.seat })}{' '}
          <button type="button" onClick={() => act(session.chair.revokeFloor())}>
            {t('chairing.chair.revoke')}
          </button>
        </p>
      ) : (
        <p className="muted">{t('chairing.chair.nobodySpeaking')}</p>
      )}
      {floor.queue.length > 0 && <p className="muted">{t('chairing.chair.queueCount', { count: floor.queue.length })}</p>}
      {/* Scrolls inside its own box: 30 requests leave the rest of the panel in view. */}
      <ol className="floor-queue" aria-label={t('chairing.chair.queue')}>
        {floor.queue.map((q) => (
          <li key={q.seatId} data-queued={q.seat}>
            {q.seat}{' '}
            <button type="button" onClick={() => act(session.chair.grantFloor(q.seatId))}>
              {t('chairing.chair.grant')}
            </button>
          </li>
        ))}
      </ol>
      {floor.queue.length === 0 && <p className="muted">{t('chairing.chair.queueEmpty')}</p>}

      <h3>{t('chairing.rollCall.title')}</h3>
      {control.rollCall && !control.rollCall.endedAt ? (
        <button type="button" onClick={() => act(session.chair.endRollCall())}>
          {t('chairing.chair.endRollCall')}
        </button>
      ) : (
        <button type="button" onClick={() => act(session.chair.startRollCall())}>
          {t('chairing.chair.startRollCall')}
        </button>
      )}

      <h3>{t('chairing.vote.title')}</h3>
      {openVote ? (
        <p>
          {openVote.question} — {t('chairing.vote.answered', { count: openVote.voted.length })}{' '}
          <button type="button" onClick={() => act(session.chair.closeVote(openVote.id))}>
            {t('chairing.chair.closeVote')}
          </button>
        </p>
      ) : (
        <form onSubmit={startVote} className="vote-form">
          <label>
            {t('chairing.vote.question')}
            <input value={question} onChange={(e) => setQuestion(e.target.value)} />
          </label>
          <label>
            {t('chairing.vote.options')}
            <textarea rows={3} value={options} onChange={(e) => setOptions(e.target.value)} />
          </label>
          <button type="submit" disabled={!question.trim()}>
            {t('chairing.chair.openVote')}
          </button>
        </form>
      )}
      {vote?.closedAt && <VoteResult vote={vote} />}
    </section>
  );
}
