// The one calendar every deadline in the app counts on: Monday to Friday, less the year's days
// off (the imported notice where there is one, else the law's days with compensation), plus any
// make-up working Saturday a notice names.
import { type HolidayNotice } from './HolidayNotice';
import { defaultDaysOff, isWeekend } from './publicHolidays';

export interface WorkingCalendar {
  isWorkingDay(isoDay: string): boolean;
}

export interface YearSource {
  year: number;
  /** The notice's title, or null when the year follows the law's default days. */
  notice: string | null;
  daysOff: string[];
}

export class OfficeCalendar implements WorkingCalendar {
  private readonly years = new Map<number, { off: Set<string>; working: Set<string>; notice: string | null }>();

  constructor(private readonly notices: ReadonlyMap<number, HolidayNotice>) {}

  private yearOf(year: number) {
    let known = this.years.get(year);
    if (!known) {
      const notice = this.notices.get(year);
      known = notice
        ? { off: new Set(notice.daysOff), working: new Set(notice.workingDays), notice: notice.title }
        : { off: new Set(defaultDaysOff(year).map((d) => d.day)), working: new Set(), notice: null };
      this.years.set(year, known);
    }
    return known;
  }

  isWorkingDay(isoDay: string): boolean {
    const year = this.yearOf(Number(isoDay.slice(0, 4)));
    if (year.working.has(isoDay)) return true;
    return !isWeekend(isoDay) && !year.off.has(isoDay);
  }

  source(year: number): YearSource {
    const known = this.yearOf(year);
    return { year, notice: known.notice, daysOff: [...known.off].sort() };
  }
}
