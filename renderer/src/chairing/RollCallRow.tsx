// One point's row of the roll call: its state, what the chair or secretary can do for it there
// (close its microphone, give it the floor, record an absence), its join time, officials and link.
import { type Ref, memo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../format';
import type { LinkHealth, SeatInfo } from '../../../sfu-server/protocol';
import type { BriefingSession } from '../briefing/BriefingSession';
import { linkFigures, linkQuality } from './linkQuality';

interface Props {
  ref: Ref<HTMLTableRowElement>;
  index: number;
  seat: SeatInfo;
  link: LinkHealth | undefined;
  session: BriefingSession;
  speaking: boolean;
  canMarkAbsent: boolean;
  canChair: boolean;
}

const time = (iso: string | null) => (iso ? formatTime(iso) : '—');

// Memoised: a state change of one point redraws its row, not the 20 around it.
export const RollCallRow = memo(function RollCallRow({ ref, index, seat, link, session, speaking, canMarkAbsent, canChair }: Props) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const present = seat.state === 'present';
  return (
    <tr ref={ref} data-index={index} data-seat={seat.seat} data-state={seat.state} data-answered={seat.rollCallAnsweredAt ? 'yes' : 'no'}>
      <td>
        {seat.seat}
        {seat.role !== 'point' && <span className="badge">{t(`chairing.role.${seat.role}`)}</span>}
        {!seat.invited && <span className="badge">{t('chairing.rollCall.uninvited')}</span>}
        {/* A province server relaying the briefing: its communes, rolled up. */}
        {seat.relayed && <span className="relayed">{t('chairing.rollCall.relayed', seat.relayed)}</span>}
      </td>
      <td>
        {t(`chairing.state.${seat.state}`)}
        {seat.rollCallAnsweredAt && <span className="badge good">{t('chairing.rollCall.answered')}</span>}
        {seat.absentReason && <span className="muted"> ({seat.absentReason})</span>}
        {canChair && present && seat.role !== 'chair' && (
          <button type="button" className="small" onClick={() => void session.chair.muteSeat(seat.seatId).catch(() => undefined)}>
            {t('chairing.rollCall.mute')}
          </button>
        )}
        {canChair && present && seat.role === 'point' && !speaking && (
          <button type="button" className="small" onClick={() => void session.chair.grantFloor(seat.seatId).catch(() => undefined)}>
            {t('chairing.chair.grant')}
          </button>
        )}
        {canMarkAbsent && !present && seat.state !== 'absent' && (
          <span className="absent-form">
            <input aria-label={t('chairing.rollCall.reasonFor', { point: seat.seat })} placeholder={t('chairing.rollCall.reason')} value={reason} onChange={(e) => setReason(e.target.value)} />
            <button type="button" disabled={!reason.trim()} onClick={() => void session.chair.markAbsent(seat.seatId, reason.trim())}>
              {t('chairing.rollCall.markAbsent')}
            </button>
          </span>
        )}
      </td>
      <td>{time(seat.joinedAt)}</td>
      <td title={seat.attendees.map((a) => `${a.name}, ${a.position}`).join('\n')}>{seat.attendees.length || '—'}</td>
      <td
        className={`link-${linkQuality(link)}`}
        data-measured-by={present ? link?.measuredBy : undefined}
        title={present && link?.measuredBy ? t(`chairing.rollCall.measuredBy.${link.measuredBy}`) : undefined}
      >
        {present ? linkFigures(link) : '—'}
      </td>
    </tr>
  );
});
