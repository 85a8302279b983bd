// Every invited meeting point with its live state, join time, officials present and link, as the
// chair and the secretary follow it; during a roll call, who has answered. Built for a province's
// 200 points: counts at the top, a search typed with or without diacritics, filters by state and
// kind of unit, the problems first, and only the rows in view drawn.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ControlState, LinkHealth } from '../../../sfu-server/protocol';
import type { BriefingSession } from '../briefing/BriefingSession';
import { RollCallRow } from './RollCallRow';
import { type GroupFilter, type StateFilter, groupsIn, rollCallCounts, rollCallRows } from './rollCallView';

interface Props {
  session: BriefingSession;
  control: ControlState;
  links: Record<string, LinkHealth>;
  /** The chair and the secretary may record an absence. */
  canMarkAbsent: boolean;
  /** The chair may close one point's microphone and give a point the floor. */
  canMute: boolean;
}

const STATES: StateFilter[] = ['all', 'present', 'not_joined', 'reconnecting', 'absent', 'weak'];

export function RollCall({ session, control, links, canMarkAbsent, canMute }: Props) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [state, setState] = useState<StateFilter>('all');
  const [group, setGroup] = useState<GroupFilter>('all');
  const counts = useMemo(() => rollCallCounts(control.seats, links), [control.seats, links]);
  const rows = useMemo(() => rollCallRows(control.seats, links, { query, state, group }), [control.seats, links, query, state, group]);
  const groups = useMemo(() => groupsIn(control.seats), [control.seats]);
  const officials = control.seats.reduce((n, s) => n + (s.state === 'present' ? s.attendees.length : 0), 0);
  const countOf = (filter: StateFilter) => (filter === 'all' ? control.seats.length : counts[filter]);

  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 40,
    overscan: 10,
    getItemKey: (index) => rows[index].seatId,
  });
  const items = virtualizer.getVirtualItems();
  const above = items.length ? items[0].start : 0;
  const below = items.length ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;

  return (
    <section className="roll-call" aria-label={t('chairing.rollCall.title')}>
      <h2>{t('chairing.rollCall.title')}</h2>
      <p data-testid="quorum">{t('chairing.rollCall.quorum', { present: counts.present, invited: counts.invited, officials })}</p>
      {control.rollCall && !control.rollCall.endedAt && (
        <p className="notice" data-testid="roll-call-answered" data-answered={counts.answered}>
          {t('chairing.rollCall.running')} {t('chairing.rollCall.answeredCount', { answered: counts.answered, present: counts.present })}
        </p>
      )}
      <div className="roll-call-filters">
        <input type="search" aria-label={t('chairing.rollCall.search')} placeholder={t('chairing.rollCall.searchHint')} value={query} onChange={(e) => setQuery(e.target.value)} />
        <div role="group" aria-label={t('chairing.rollCall.byState')} className="state-filters">
          {STATES.map((filter) => (
            <button key={filter} type="button" className="small" aria-pressed={state === filter} data-filter={filter} data-count={countOf(filter)} onClick={() => setState(filter)}>
              {t(`chairing.rollCall.filter.${filter}`)} ({countOf(filter)})
            </button>
          ))}
        </div>
        {groups.length > 1 && (
          <select aria-label={t('chairing.rollCall.byGroup')} value={group} onChange={(e) => setGroup(groups.find((g) => g === e.target.value) ?? 'all')}>
            <option value="all">{t('chairing.rollCall.group.all')}</option>
            {groups.map((g) => (
              <option key={g} value={g}>
                {t(`chairing.rollCall.group.${g}`)}
              </option>
            ))}
          </select>
        )}
      </div>
      <p className="muted" data-testid="roll-call-shown" data-shown={rows.length}>
        {t('chairing.rollCall.shown', { shown: rows.length, total: control.seats.length })}
      </p>
      <div className="roll-call-scroll" ref={scroller}>
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
            {above > 0 && <tr aria-hidden style={{ height: above }} />}
            {items.map((item) => (
              <RollCallRow
                key={item.key}
                ref={virtualizer.measureElement}
                index={item.index}
                seat={rows[item.index]}
                link={links[rows[item.index].seatId]}
                session={session}
                speaking={control.floor.speaker?.seatId === rows[item.index].seatId}
                canMarkAbsent={canMarkAbsent}
                canChair={canMute}
              />
            ))}
            {below > 0 && <tr aria-hidden style={{ height: below }} />}
          </tbody>
        </table>
      </div>
    </section>
  );
}
