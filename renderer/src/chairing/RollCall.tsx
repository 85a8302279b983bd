// Every invited meeting point with its live state, join time and officials present, as the chair
// and the secretary follow it; during a roll call, who has answered.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../format';
import type { ControlState, LinkHealth } from '../../../sfu-server/protocol';
import type { BriefingSession } from '../briefing/BriefingSession';
import { linkFigures, linkQuality } from './linkQuality';

interface Props {
  session: BriefingSession;
  control: ControlState;
  links: Record<string, LinkHealth>;
  /** The chair and the secretary may record an absence. */
  canMarkAbsent: boolean;
  /** The chair may close one point's microphone. */
  canMute: boolean;
}

const time = (iso: string | null) => (iso ? formatTime(iso) : '—');

export function RollCall({ session, control, links, canMarkAbsent, canMute }: Props) {
  const { t } = useTranslation();
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const present = control.seats.filter((s) => s.state === 'present');
  const officials = present.reduce((n, s) => n + s.attendees.length, 0);
  const invited = control.seats.filter((s) => s.invited).length;
  return (
    <section className="roll-call" aria-label={t('chairing.rollCall.title')}>
      <h2>{t('chairing.rollCall.title')}</h2>
      <p data-testid="quorum">{t('chairing.rollCall.quorum', { present: present.length, invited, officials })}</p>
      {control.rollCall && !control.rollCall.endedAt && <p className="notice">{t('chairing.rollCall.running')}</p>}
      <table>
        <thead>
          <tr>
            <th>{t('chairing.rollCall.point')}</th>
            <th>{t('chairing.rollCall.state')}</th>
            <th>{t('chairing.rollCall.joinedAt')}</th>
            <th>{t('chairing.rollCall.officials')}</th>
            <th>{t('chairing.rollCall.link')}</th>
          </tr>
        </thead>
        <tbody>
          {control.seats.map((seat) => (
            <tr key={seat.seatId} data-seat={seat.seat} data-state={seat.state} data-answered={seat.rollCallAnsweredAt ? 'yes' : 'no'}>
              <td>
                {seat.seat}
                {seat.role !== 'point' && <span className="badge">{t(`chairing.role.${seat.role}`)}</span>}
                {!seat.invited && <span className="badge">{t('chairing.rollCall.uninvited')}</span>}
              </td>
              <td>
                {t(`chairing.state.${seat.state}`)}
                {seat.rollCallAnsweredAt && <span className="badge good">{t('chairing.rollCall.answered')}</span>}
                {seat.absentReason && <span className="muted"> ({seat.absentReason})</span>}
                {canMute && seat.state === 'present' && seat.role !== 'chair' && (
                  <button type="button" className="small" onClick={() => void session.chair.muteSeat(seat.seatId).catch(() => undefined)}>
                    {t('chairing.rollCall.mute')}
                  </button>
                )}
                {canMarkAbsent && seat.state !== 'present' && seat.state !== 'absent' && (
                  <span className="absent-form">
                    <input
                      aria-label={t('chairing.rollCall.reasonFor', { point: seat.seat })}
                      placeholder={t('chairing.rollCall.reason')}
                      value={reasons[seat.seatId] ?? ''}
                      onChange={(e) => setReasons({ ...reasons, [seat.seatId]: e.target.value })}
                    />
                    <button
                      type="button"
                      disabled={!(reasons[seat.seatId] ?? '').trim()}
                      onClick={() => void session.chair.markAbsent(seat.seatId, (reasons[seat.seatId] ?? '').trim())}
                    >
                      {t('chairing.rollCall.markAbsent')}
                    </button>
                  </span>
                )}
              </td>
              <td>{time(seat.joinedAt)}</td>
              <td title={seat.attendees.map((a) => `${a.name}, ${a.position}`).join('\n')}>{seat.attendees.length || '—'}</td>
              <td className={`link-${linkQuality(links[seat.seatId])}`}>{seat.state === 'present' ? linkFigures(links[seat.seatId]) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
