// A briefing series on the publishing PC: the review item that opens every briefing after the
// first, and the next briefing drafted from the last in one step.
import { type AgendaItem, type BriefingDraft, type PublishedBriefing } from '../../../sfu-server/protocol/briefing';
import { REVIEW_ITEM_TITLE, unitKey } from '../../../sfu-server/protocol/followUp';

const REVIEW_MINUTES = 15;

export function reviewItem(): AgendaItem {
  return { title: REVIEW_ITEM_TITLE, presenter: '', plannedMinutes: REVIEW_MINUTES, documents: [], review: true };
}

export function sameSeries(a: Pick<BriefingDraft, 'series'>, b: Pick<BriefingDraft, 'series'>): boolean {
  return !!a.series && !!b.series && unitKey(a.series) === unitKey(b.series);
}

/** The draft with the review item first, when an earlier briefing of its series exists. */
export function withReviewItem(draft: BriefingDraft, published: PublishedBriefing[]): BriefingDraft {
  if (!draft.series || draft.agenda.some((item) => item.review)) return draft;
  const earlier = published.some((b) => b.code !== draft.code && sameSeries(b, draft) && Date.parse(b.startsAt) < Date.parse(draft.startsAt));
  return earlier ? { ...draft, agenda: [reviewItem(), ...draft.agenda].slice(0, 50) } : draft;
}

/** The same hour a week later, or a month later for a series named monthly ("tháng"). */
function nextStart(last: PublishedBriefing): string {
  const start = new Date(last.startsAt);
  const monthly = /\bthang\b/.test(unitKey(last.series ?? ''));
  if (monthly) start.setUTCMonth(start.getUTCMonth() + 1);
  else start.setUTCDate(start.getUTCDate() + 7);
  // Written in Vietnam's offset, as the organizer typed the first one.
  const local = new Date(start.getTime() + 7 * 3600_000).toISOString().slice(0, 19);
  return `${local}+07:00`;
}

/** A code not yet used: the last one with its number counted up ("giaoban-tuan-48" → "-49"). */
function nextCode(code: string, taken: Set<string>): string {
  const match = /^(.*?)(\d+)$/.exec(code);
  let base = match ? match[1] : `${code}-`;
  let n = match ? Number(match[2]) + 1 : 2;
  if (base.length + String(n).length > 40) base = base.slice(0, 40 - String(n).length);
  while (taken.has(`${base}${n}`)) n++;
  return `${base}${n}`;
}

/** The next briefing of the series, drafted from the last: the same people, points and agenda
 * titles (documents are the new briefing's own), opened by the review item. */
export function nextInSeries(last: PublishedBriefing, taken: Set<string>): BriefingDraft {
  const agenda = last.agenda.filter((item) => !item.review).map((item) => ({ ...item, documents: [] }));
  return {
    code: nextCode(last.code, taken),
    title: last.title,
    hostUnit: last.hostUnit,
    chair: last.chair,
    secretary: last.secretary,
    startsAt: nextStart(last),
    expectedMinutes: last.expectedMinutes,
    place: last.place,
    regular: last.regular,
    series: last.series,
    invitedPoints: last.invitedPoints,
    agenda: [reviewItem(), ...agenda].slice(0, 50),
  };
}
