import { describe, expect, it } from 'vitest';
import { parseHolidayNotice } from '../../main/services/calendar/HolidayNotice';
import { OfficeCalendar } from '../../main/services/calendar/OfficeCalendar';
import { defaultDaysOff, hungKingsDay, lunarNewYear } from '../../main/services/calendar/publicHolidays';
import { addWorkingDays, addWorkingDaysToDay, vietnamDay, workingDaysAfter, workingDaysBetween } from '../../main/services/calendar/workingDays';

const byLaw = new OfficeCalendar(new Map());
const at = (text: string) => new Date(text);
const daysOff = (calendar: OfficeCalendar, from: string, to: string) => {
  const off: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    if (!calendar.isWorkingDay(day)) off.push(day);
  }
  return off;
};
/** The 2025 notice: Tết from Saturday 25 January to Sunday 2 February, no compensatory Monday. */
const notice2025 = {
  year: 2025,
  title: 'Thông báo nghỉ Tết Ất Tỵ 2025 (thử)',
  daysOff: ['2025-01-01', '2025-01-27/2025-01-31', '2025-04-07', '2025-04-30', '2025-05-01', '2025-09-01', '2025-09-02'],
};

describe('the lunar holidays', () => {
  it('finds Tết and Giỗ Tổ as Vietnam reckons them', () => {
    expect(lunarNewYear(2026)).toBe('2026-02-17');
    expect(lunarNewYear(2027)).toBe('2027-02-06');
    expect(hungKingsDay(2026)).toBe('2026-04-26');
    // 1985: Vietnam's Tết fell on 21 January, a month before China's (20 February).
    expect(lunarNewYear(1985)).toBe('1985-01-21');
  });
});

describe('the office calendar by the law', () => {
  it('gives Tết Bính Ngọ as nine days off, Saturday 14 to Sunday 22 February 2026', () => {
    expect(daysOff(byLaw, '2026-02-12', '2026-02-24')).toEqual([
      '2026-02-14', '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22',
    ]);
  });

  it('gives a compensatory day when a holiday falls on a weekend', () => {
    // Giỗ Tổ 2026 is a Sunday: Monday 27 April is off; 30/4 and 1/5 are Thursday and Friday.
    expect(daysOff(byLaw, '2026-04-25', '2026-05-04')).toEqual(['2026-04-25', '2026-04-26', '2026-04-27', '2026-04-30', '2026-05-01', '2026-05-02', '2026-05-03']);
    // 1 May 2027 is a Saturday: Monday 3 May is off.
    expect(defaultDaysOff(2027).map((d) => d.day)).toContain('2027-05-03');
  });

  it('gives National Day with the day next to it', () => {
    expect(daysOff(byLaw, '2026-08-31', '2026-09-04')).toEqual(['2026-09-01', '2026-09-02']);
    expect(daysOff(byLaw, '2027-08-31', '2027-09-05')).toEqual(['2027-09-02', '2027-09-03', '2027-09-04', '2027-09-05']);
  });
});

describe('deadlines on the office calendar', () => {
  it('counts three working days before a Friday briefing from a Monday publish', () => {
    expect(workingDaysBetween(at('2026-11-23T09:00:00+07:00'), at('2026-11-27T07:30:00+07:00'), byLaw)).toBe(3);
    // Thursday publish, next Tuesday briefing: Friday and Monday only.
    expect(workingDaysBetween(at('2026-11-26T16:00:00+07:00'), at('2026-12-01T07:30:00+07:00'), byLaw)).toBe(2);
  });

  it('puts a conclusions notice due 5 working days after a briefing on Friday 13 February 2026 in March', () => {
    // Tết takes 16–20 February: the five days are 23 to 27 February.
    expect(addWorkingDays(at('2026-02-13T08:00:00+07:00'), 5, byLaw)).toBe('2026-02-27');
  });

  it('counts the days a task is late without Tết', () => {
    // Due Friday 13 February, done Tuesday 24 February: late by Monday 23 and Tuesday 24.
    expect(workingDaysAfter('2026-02-13', '2026-02-24', byLaw, true)).toBe(2);
  });

  it('steps over a compensatory day', () => {
    // Friday 24 April + 1 working day: Monday 27 is the compensation for Giỗ Tổ, so Tuesday 28.
    expect(addWorkingDaysToDay('2026-04-24', 1, byLaw)).toBe('2026-04-28');
  });

  it('takes the day in Vietnam, not in UTC', () => {
    expect(vietnamDay(at('2026-11-22T23:30:00Z'))).toBe('2026-11-23');
  });
});

describe("the government's yearly notice", () => {
  it('replaces the default days of its year', () => {
    const notice = parseHolidayNotice(notice2025);
    const calendar = new OfficeCalendar(new Map([[2025, notice]]));
    expect(daysOff(byLaw, '2025-01-25', '2025-02-03')).toContain('2025-02-03');
    expect(daysOff(calendar, '2025-01-25', '2025-02-03')).toEqual([
      '2025-01-25', '2025-01-26', '2025-01-27', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02',
    ]);
    expect(calendar.source(2025).notice).toBe(notice2025.title);
    expect(calendar.source(2026).notice).toBeNull();
  });

  it('takes the 2026 notice: Tết from Saturday 14 to Sunday 22 February', () => {
    const notice = parseHolidayNotice({
      year: 2026,
      title: 'Thông báo nghỉ Tết Bính Ngọ 2026 (thử)',
      daysOff: ['2026-01-01', '2026-02-14/2026-02-22', '2026-04-27', '2026-04-30', '2026-05-01', '2026-09-01', '2026-09-02'],
    });
    const calendar = new OfficeCalendar(new Map([[2026, notice]]));
    expect(daysOff(calendar, '2026-02-12', '2026-02-24')).toEqual([
      '2026-02-14', '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22',
    ]);
    // Across Tết: 5 working days after Friday 13 February is Friday 27 February.
    expect(addWorkingDays(at('2026-02-13T08:00:00+07:00'), 5, calendar)).toBe('2026-02-27');
  });

  it('takes a Saturday made a working day', () => {
    const notice = parseHolidayNotice({ ...notice2025, daysOff: [...notice2025.daysOff, '2025-02-03'], workingDays: ['2025-02-08'] });
    const calendar = new OfficeCalendar(new Map([[2025, notice]]));
    expect(calendar.isWorkingDay('2025-02-08')).toBe(true);
    expect(calendar.isWorkingDay('2025-02-03')).toBe(false);
  });

  it('refuses a notice that forgets a public holiday, strays out of its year or is malformed', () => {
    expect(() => parseHolidayNotice({ ...notice2025, daysOff: notice2025.daysOff.filter((d) => d !== '2025-04-30') })).toThrow(/2025-04-30/);
    expect(() => parseHolidayNotice({ ...notice2025, daysOff: [...notice2025.daysOff, '2026-01-01'] })).toThrow(/outside 2025/);
    expect(() => parseHolidayNotice({ ...notice2025, daysOff: ['2025-13-45'] })).toThrow();
    expect(() => parseHolidayNotice({ ...notice2025, daysOff: ['2025-02-10/2025-02-01'] })).toThrow(/ends before/);
    expect(() => parseHolidayNotice({ ...notice2025, workingDays: ['2025-02-10'] })).toThrow(/Saturday or Sunday/);
  });
});
