// What the chair's roll call shows of 200 points: counts by state, a search typed without
// diacritics, filters by state and by kind of unit, and the problems first. Pure, so it is tested
// without a page, and cheap: one pass over the seats per change.
import { pointKindOf, type PointKind } from '../../../main/api/hostLevel';
import type { LinkHealth, SeatInfo } from '../../../sfu-server/protocol';
import { unitKey } from '../../../sfu-server/protocol/followUp';
import { linkQuality } from '../../../sfu-server/protocol/rules';

export type StateFilter = 'all' | 'not_joined' | 'present' | 'reconnecting' | 'absent' | 'weak';
/** A kind of unit, or the host's own seats (chair, secretary). */
export type GroupFilter = 'all' | 'host' | PointKind;

export interface RollCallFilter {
  query: string;
  state: StateFilter;
  group: GroupFilter;
}

export interface RollCallCounts {
  invited: number;
  present: number;
  not_joined: number;
  reconnecting: number;
  /** Absent with a reason, or gone after having joined. */
  absent: number;
  /** Present on a poor link. */
  weak: number;
  /** Answered the roll call under way (or the last one). */
  answered: number;
}

const weakLink = (seat: SeatInfo, links: Record<string, LinkHealth>) => seat.state === 'present' && linkQuality(links[seat.seatId]) === 'poor';

export function groupOf(seat: SeatInfo): GroupFilter {
  return seat.role === 'point' ? pointKindOf(seat.seat) : 'host';
}

function inState(seat: SeatInfo, state: StateFilter, links: Record<string, LinkHealth>): boolean {
  if (state === 'all') return true;
  if (state === 'weak') return weakLink(seat, links);
  if (state === 'absent') return seat.state === 'absent' || seat.state === 'left';
  return seat.state === state;
}

export function rollCallCounts(seats: readonly SeatInfo[], links: Record<string, LinkHealth>): RollCallCounts {
  const counts: RollCallCounts = { invited: 0, present: 0, not_joined: 0, reconnecting: 0, absent: 0, weak: 0, answered: 0 };
  for (const seat of seats) {
    if (seat.invited) counts.invited++;
    if (seat.state === 'present') counts.present++;
    else if (seat.state === 'not_joined') counts.not_joined++;
    else if (seat.state === 'reconnecting') counts.reconnecting++;
    else counts.absent++;
    if (weakLink(seat, links)) counts.weak++;
    if (seat.rollCallAnsweredAt) counts.answered++;
  }
  return counts;
}

/** Lower first: what the chair must act on before what is fine. */
function urgency(seat: SeatInfo, links: Record<string, LinkHealth>): number {
  if (seat.state === 'reconnecting') return 0;
  if (seat.state === 'left') return 1;
  if (seat.state === 'not_joined') return 2;
  if (weakLink(seat, links)) return 3;
  if (seat.state === 'present') return 4;
  return 5; // absent, with the reason given
}

const collator = new Intl.Collator('vi');

export function rollCallRows(seats: readonly SeatInfo[], links: Record<string, LinkHealth>, filter: RollCallFilter): SeatInfo[] {
  const query = unitKey(filter.query);
  return seats
    .filter((seat) => inState(seat, filter.state, links) && (filter.group === 'all' || groupOf(seat) === filter.group) && (!query || unitKey(seat.seat).includes(query)))
    .map((seat) => ({ seat, rank: urgency(seat, links) }))
    .sort((a, b) => a.rank - b.rank || collator.compare(a.seat.seat, b.seat.seat))
    .map((entry) => entry.seat);
}

/** The groups present in this briefing, in a fixed order, for the group filter. */
export function groupsIn(seats: readonly SeatInfo[]): GroupFilter[] {
  const order: GroupFilter[] = ['host', 'commune', 'ward', 'specialZone', 'department', 'village', 'district', 'province', 'other'];
  const present = new Set(seats.map(groupOf));
  return order.filter((group) => present.has(group));
}
