// The government's yearly notice of days off for civil servants (thông báo nghỉ Tết, Quốc khánh…),
// which may move or extend the statutory days (Tết 2026 ran nine days, 14 to 22 February). The
// organizer imports it once a year as a small JSON file; a year with a notice follows it exactly.
import { z } from 'zod';
import { fixedHolidays, isWeekend, shiftDay } from './publicHolidays';

const Day = z.iso.date();
/** A day, or an ISO 8601 interval of days "2026-02-14/2026-02-22". */
const DayOrRange = z.string().regex(/^\d{4}-\d{2}-\d{2}(\/\d{4}-\d{2}-\d{2})?$/, 'a day YYYY-MM-DD or a range YYYY-MM-DD/YYYY-MM-DD');

export const HolidayNoticeFile = z.object({
  year: z.number().int().min(2000).max(2199),
  /** Which notice this is (its number and title), shown to the user. */
  title: z.string().trim().min(1).max(300),
  /** Every day off in the year besides ordinary Saturdays and Sundays. */
  daysOff: z.array(DayOrRange).min(1).max(60),
  /** Saturdays or Sundays made working days to make up for a bridge day ("làm bù"). */
  workingDays: z.array(Day).max(10).default([]),
});

export interface HolidayNotice {
  year: number;
  title: string;
  daysOff: string[];
  workingDays: string[];
}

export class HolidayNoticeError extends Error {
  constructor(
    readonly code: 'bad_notice',
    message: string,
  ) {
    super(message);
  }
}

function expand(entry: string): string[] {
  const [from, to = from] = entry.split('/');
  if (Number.isNaN(Date.parse(`${from}T00:00:00Z`)) || Number.isNaN(Date.parse(`${to}T00:00:00Z`))) {
    throw new HolidayNoticeError('bad_notice', `"${entry}" is not a real day`);
  }
  if (to < from) throw new HolidayNoticeError('bad_notice', `"${entry}" ends before it starts`);
  const days: string[] = [];
  for (let day = from; day <= to; day = shiftDay(day, 1)) {
    if (days.length > 31) throw new HolidayNoticeError('bad_notice', `"${entry}" is longer than a month`);
    days.push(day);
  }
  return days;
}

/** Reads a notice and checks it against the law: every day in its year, and no statutory holiday
 * left as a working day (a notice that forgets 30/4 is a typo, not a decision). */
export function parseHolidayNotice(json: unknown): HolidayNotice {
  const parsed = HolidayNoticeFile.safeParse(json);
  if (!parsed.success) throw new HolidayNoticeError('bad_notice', z.prettifyError(parsed.error));
  const { year, title, workingDays } = parsed.data;
  const daysOff = [...new Set(parsed.data.daysOff.flatMap(expand))].sort();
  const outside = [...daysOff, ...workingDays].filter((day) => !day.startsWith(`${year}-`));
  if (outside.length) throw new HolidayNoticeError('bad_notice', `days outside ${year}: ${outside.join(', ')}`);
  const weekdays = workingDays.filter((day) => !isWeekend(day));
  if (weekdays.length) throw new HolidayNoticeError('bad_notice', `a make-up working day must be a Saturday or Sunday: ${weekdays.join(', ')}`);
  const off = new Set(daysOff);
  const forgotten = fixedHolidays(year).filter(({ day }) => !off.has(day) && (!isWeekend(day) || workingDays.includes(day)));
  if (forgotten.length) {
    throw new HolidayNoticeError('bad_notice', `these public holidays are not days off in the notice: ${forgotten.map((d) => `${d.day} (${d.holiday})`).join(', ')}`);
  }
  return { year, title, daysOff, workingDays };
}
