// Vietnam's public holidays by the Labour Code (2019, art. 112) as offices observe them, for any
// year: the lunar ones (Tết Nguyên đán, Giỗ Tổ Hùng Vương) come from a maintained Vietnamese lunar
// calendar, whose new moons are reckoned at UTC+7 (Vietnam's Tết differs from China's in some years).
// The government's yearly notice may move or extend these days; `HolidayNotice` overrides a year.
import { getSolarDate } from '@dqcai/vn-lunar';

export type Holiday = 'new_year' | 'tet' | 'hung_kings' | 'reunification' | 'labour' | 'national_day' | 'compensatory';

export interface DayOff {
  /** YYYY-MM-DD */
  day: string;
  holiday: Holiday;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function isoDay(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

/** The day `n` days after (or before) an ISO day. */
export function shiftDay(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export function isWeekend(day: string): boolean {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** The solar day of a lunar day (of a non-leap month). */
function solarOfLunar(day: number, month: number, lunarYear: number): string {
  const solar = getSolarDate(day, month, lunarYear);
  return isoDay(solar.year, solar.month, solar.day);
}

/** Mùng 1 Tết of the lunar year that begins in this solar year. */
export function lunarNewYear(year: number): string {
  return solarOfLunar(1, 1, year);
}

/** Giỗ Tổ Hùng Vương, the 10th day of the 3rd lunar month. */
export function hungKingsDay(year: number): string {
  return solarOfLunar(10, 3, year);
}

/** National Day is 2/9 plus one day next to it; the law leaves which one to the yearly notice.
 * By default the one that joins the holiday to a weekend, else the day before. */
function nationalDayNeighbour(year: number): string {
  const second = isoDay(year, 9, 2);
  const weekday = new Date(`${second}T00:00:00Z`).getUTCDay();
  return weekday === 1 || weekday === 4 || weekday === 0 ? isoDay(year, 9, 3) : isoDay(year, 9, 1);
}

/** The days the law itself gives off, before any falls on a weekend. Tết is five days: the last
 * day of the old lunar year and the first four of the new, as the yearly notices usually give. */
export function statutoryHolidays(year: number): DayOff[] {
  const tet = lunarNewYear(year);
  const days: DayOff[] = [
    { day: isoDay(year, 1, 1), holiday: 'new_year' },
    ...[-1, 0, 1, 2, 3].map((n) => ({ day: shiftDay(tet, n), holiday: 'tet' as const })),
    { day: hungKingsDay(year), holiday: 'hung_kings' },
    { day: isoDay(year, 4, 30), holiday: 'reunification' },
    { day: isoDay(year, 5, 1), holiday: 'labour' },
    { day: isoDay(year, 9, 2), holiday: 'national_day' },
    { day: nationalDayNeighbour(year), holiday: 'national_day' },
  ];
  return days.sort((a, b) => a.day.localeCompare(b.day));
}

/** The days off of a year without a notice: the statutory days, and for each that falls on a
 * Saturday or Sunday the next working day (art. 111: "nghỉ bù"). */
export function defaultDaysOff(year: number): DayOff[] {
  const days = statutoryHolidays(year);
  const taken = new Set(days.map((d) => d.day));
  const compensations: DayOff[] = [];
  for (const { day } of days) {
    if (!isWeekend(day)) continue;
    let next = shiftDay(day, 1);
    while (isWeekend(next) || taken.has(next)) next = shiftDay(next, 1);
    taken.add(next);
    compensations.push({ day: next, holiday: 'compensatory' });
  }
  return [...days, ...compensations].sort((a, b) => a.day.localeCompare(b.day));
}

/** The days that must be off whatever a notice says: a notice missing one of them is a typo. */
export function fixedHolidays(year: number): DayOff[] {
  return [
    { day: isoDay(year, 1, 1), holiday: 'new_year' },
    { day: lunarNewYear(year), holiday: 'tet' },
    { day: hungKingsDay(year), holiday: 'hung_kings' },
    { day: isoDay(year, 4, 30), holiday: 'reunification' },
    { day: isoDay(year, 5, 1), holiday: 'labour' },
    { day: isoDay(year, 9, 2), holiday: 'national_day' },
  ];
}
