// Who waits in the lobby, for the chair: each is let in as one of the invited points not yet
// here (the one its name matches is offered first: a commune that lost its code takes its own
// seat, never a duplicate in the minutes), or as a guest, or refused.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ControlState } from '../../../sfu-server/protocol';
import { unitKey } from '../../../sfu-server/protocol/followUp';
import type { BriefingSession } from '../briefing/BriefingSession';

const GUEST = '';

type Entry = ControlState['lobby'][number];

function LobbyRow({ entry, freeSeats, session, act }: { entry: Entry; freeSeats: ControlState['seats']; session: BriefingSession; act: (work: Promise<unknown>) => void }) {
  const { t } = useTranslation();
  const name = unitKey(entry.displayName);
  const matching = freeSeats.find((s) => unitKey(s.seat) === name) ?? freeSeats.find((s) => name.includes(unitKey(s.seat)) || unitKey(s.seat).includes(name));
  const [seatId, setSeatId] = useState(matching?.seatId ?? GUEST);
  return (
    <p data-lobby={entry.displayName}>
      {entry.displayName}{' '}
      <label>
        {t('chairing.chair.admitAs')}{' '}
        <select value={seatId} onChange={(e) => setSeatId(e.target.value)}>
          {freeSeats.map((s) => (
            <option key={s.seatId} value={s.seatId}>
              {s.seat}
            </option>
          ))}
          <option value={GUEST}>{t('chairing.chair.asGuest')}</option>
        </select>
      </label>{' '}
      <button type="button" onClick={() => act(session.chair.admit(entry.lobbyId, seatId || undefined))}>
        {t('chairing.chair.admit')}
      </button>
      <button type="button" className="danger" onClick={() => act(session.chair.refuse(entry.lobbyId))}>
        {t('chairing.chair.refuse')}
      </button>
    </p>
  );
}

export function LobbyList({ control, session, act }: { control: ControlState; session: BriefingSession; act: (work: Promise<unknown>) => void }) {
  const { t } = useTranslation();
  if (!control.lobby.length) return null;
  const freeSeats = control.seats.filter((s) => s.role === 'point' && s.invited && s.peerId === null && s.state !== 'reconnecting');
  return (
    <div className="lobby" role="alert">
      <h3>{t('chairing.chair.lobby')}</h3>
      {control.lobby.map((entry) => (
        <LobbyRow key={entry.lobbyId} entry={entry} freeSeats={freeSeats} session={session} act={act} />
      ))}
    </div>
  );
}
