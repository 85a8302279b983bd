// Working days as Vietnamese public offices count them: Monday to Friday, minus public
// holidays (a configurable list, since lunar-calendar holidays move every year).
// Dates are taken in Vietnam's time zone (UTC+7, no daylight saving).

const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** YYYY-MM-DD of the calendar day in Vietnam at that instant. */
export function vietnamDay(instant: Date): string {
  return new Date(instant.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

function dayNumber(isoDay: string): number {
  return Date.parse(`${isoDay}T00:00:00Z`) / DAY_MS;
}

function isoOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function isWorkingDay(isoDay: string, holidays: ReadonlySet<string>): boolean {
  const weekday = new Date(`${isoDay}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(isoDay);
}

/** Whole working days strictly between the two instants' days: documents published on Monday
 * for a Friday briefing had Tuesday, Wednesday and Thursday, so 3. */
export function workingDaysBetween(from: Date, to: Date, holidays: ReadonlySet<string>): number {
  let count = 0;
  for (let day = dayNumber(vietnamDay(from)) + 1; day < dayNumber(vietnamDay(to)); day++) {
    if (isWorkingDay(isoOf(day), holidays)) count++;
  }
  return count;
}

/** The day that is `n` working days after the instant's day (the deadline of a notice). */
export function addWorkingDays(from: Date, n: number, holidays: ReadonlySet<string>): string {
  let day = dayNumber(vietnamDay(from));
  let left = n;
  while (left > 0) {
    day++;
    if (isWorkingDay(isoOf(day), holidays)) left--;
  }
  return isoOf(day);
}

/** Days written as YYYY-MM-DD; anything else is refused so a typo cannot silently shift a deadline. */
export function parseHolidays(list: unknown): Set<string> {
  if (!Array.isArray(list)) throw new Error('holidays: expected a list of YYYY-MM-DD days');
  const days = new Set<string>();
  for (const entry of list) {
    if (typeof entry !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(entry) || Number.isNaN(Date.parse(`${entry}T00:00:00Z`))) {
      throw new Error(`holidays: "${String(entry)}" is not a YYYY-MM-DD day`);
    }
    days.add(entry);
  }
  return days;
}

/** Documents of a regular briefing are due 3 working days ahead (the meeting regime). */
export const REGULAR_BRIEFING_NOTICE_DAYS = 3;
