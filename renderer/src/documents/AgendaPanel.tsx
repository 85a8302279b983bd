// The agenda: which item the briefing is on, and its time used against the time planned.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublishedBriefing } from '../../../main/api/contract';
import type { AgendaPosition } from '../../../sfu-server/protocol';

interface Props {
  briefing: PublishedBriefing;
  /** The live position; null offline or before the chair starts the agenda. */
  position: AgendaPosition | null;
  selected: number;
  onSelect: (index: number) => void;
  /** Given only in a live briefing: moves everyone to the next item. */
  onNextItem?: () => void;
}

function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function AgendaPanel({ briefing, position, selected, onSelect, onNextItem }: Props) {
  const { t } = useTranslation();
  const now = useNow();
  const usedMinutes = position ? Math.floor((now - Date.parse(position.startedAt)) / 60000) : 0;
  return (
    <nav className="agenda" aria-label={t('documents.agenda')}>
      <h2>{t('documents.agenda')}</h2>
      <ol>
        {briefing.agenda.map((item, index) => {
          const current = position?.index === index;
          return (
            <li key={index} className={`${current ? 'current' : ''} ${selected === index ? 'selected' : ''}`} aria-current={current ? 'step' : undefined}>
              <button type="button" onClick={() => onSelect(index)}>
                <span className="agenda-title">{item.title}</span>
                <small>
                  {item.presenter} ·{' '}
                  {current
                    ? t('documents.timeUsed', { used: usedMinutes, planned: item.plannedMinutes })
                    : t('documents.timePlanned', { planned: item.plannedMinutes })}
                </small>
              </button>
            </li>
          );
        })}
      </ol>
      {onNextItem && (
        <button type="button" className="primary" onClick={onNextItem} disabled={(position?.index ?? -1) >= briefing.agenda.length - 1}>
          {position ? t('documents.nextItem') : t('documents.startAgenda')}
        </button>
      )}
    </nav>
  );
}
