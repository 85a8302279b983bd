// Leaving and ending: a point asks before it leaves (one click must not drop a commune out of a
// briefing); the chair may end the briefing for everyone, asked once more; when it has ended,
// everyone is told when, and leaves with one click.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../format';

interface Props {
  isChair: boolean;
  /** When the chair ended the briefing; null while it runs. */
  endedAt: string | null;
  busy: boolean;
  onLeave: () => void;
  onEnd: () => void;
}

export function LeaveControls({ isChair, endedAt, busy, onLeave, onEnd }: Props) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState<'leave' | 'end' | null>(null);
  if (endedAt) {
    return (
      <button type="button" className="danger" disabled={busy} onClick={onLeave}>
        {t('briefing.leave')}
      </button>
    );
  }
  if (asking) {
    return (
      <div className="confirm" role="alertdialog" aria-label={t(asking === 'end' ? 'briefing.confirmEnd' : 'briefing.confirmLeave')}>
        <span>{t(asking === 'end' ? 'briefing.confirmEnd' : 'briefing.confirmLeave')}</span>
        <button
          type="button"
          className="danger"
          disabled={busy}
          onClick={() => {
            setAsking(null);
            if (asking === 'end') onEnd();
            else onLeave();
          }}
        >
          {t(asking === 'end' ? 'briefing.endYes' : 'briefing.leaveYes')}
        </button>
        <button type="button" autoFocus onClick={() => setAsking(null)}>
          {t('briefing.stay')}
        </button>
      </div>
    );
  }
  return (
    <>
      {isChair && (
        <button type="button" className="danger" disabled={busy} onClick={() => setAsking('end')}>
          {t('briefing.end')}
        </button>
      )}
      <button type="button" className="danger" disabled={busy} onClick={() => setAsking('leave')}>
        {t('briefing.leave')}
      </button>
    </>
  );
}

/** The notice everyone sees once the chair has ended the briefing. */
export function EndedNotice({ endedAt }: { endedAt: string }) {
  const { t } = useTranslation();
  return (
    <p className="notice ended" role="alert" data-testid="briefing-ended">
      {t('briefing.ended', { time: formatTime(endedAt) })}
    </p>
  );
}
