// Working days as Vietnamese public offices count them, on the office calendar (weekends, public
// holidays, the yearly notice). Dates are taken in Vietnam's time zone (UTC+7, no daylight saving).
import type { WorkingCalendar } from './OfficeCalendar';

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

/** Whole working days strictly between the two instants' days: documents published on Monday
 * for a Friday briefing had Tuesday, Wednesday and Thursday, so 3. */
export function workingDaysBetween(from: Date, to: Date, calendar: WorkingCalendar): number {
  return workingDaysAfter(vietnamDay(from), vietnamDay(to), calendar);
}

/** Working days after `fromDay` up to and including `toDay` (0 when `toDay` is not later): how
 * many working days late a task due on `fromDay` is on `toDay`. */
export function workingDaysAfter(fromDay: string, toDay: string, calendar: WorkingCalendar, inclusive = false): number {
  let count = 0;
  const last = dayNumber(toDay) + (inclusive ? 1 : 0);
  for (let day = dayNumber(fromDay) + 1; day < last; day++) {
    if (calendar.isWorkingDay(isoOf(day))) count++;
  }
  return count;
}

/** The day that is `n` working days after the instant's day (the deadline of a notice). */
export function addWorkingDays(from: Date, n: number, calendar: WorkingCalendar): string {
  return addWorkingDaysToDay(vietnamDay(from), n, calendar);
}

export function addWorkingDaysToDay(fromDay: string, n: number, calendar: WorkingCalendar): string {
  let day = dayNumber(fromDay);
  let left = n;
  while (left > 0) {
    day++;
    if (calendar.isWorkingDay(isoOf(day))) left--;
  }
  return isoOf(day);
}

/** Documents of a regular briefing are due 3 working days ahead (the meeting regime). */
export const REGULAR_BRIEFING_NOTICE_DAYS = 3;
