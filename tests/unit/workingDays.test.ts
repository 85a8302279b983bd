import { describe, expect, it } from 'vitest';
import { addWorkingDays, parseHolidays, vietnamDay, workingDaysBetween } from '../../main/services/workingDays';

const none = new Set<string>();
// 2026-11-23 is a Monday.
const at = (text: string) => new Date(text);

describe('working days', () => {
  it('counts Tuesday to Thursday between a Monday publish and a Friday briefing', () => {
    expect(workingDaysBetween(at('2026-11-23T09:00:00+07:00'), at('2026-11-27T07:30:00+07:00'), none)).toBe(3);
    expect(workingDaysBetween(at('2026-11-24T09:00:00+07:00'), at('2026-11-27T07:30:00+07:00'), none)).toBe(2);
  });

  it('skips the weekend', () => {
    // Thursday publish, next Tuesday briefing: Friday and Monday only.
    expect(workingDaysBetween(at('2026-11-26T16:00:00+07:00'), at('2026-12-01T07:30:00+07:00'), none)).toBe(2);
  });

  it('skips holidays from the configured list', () => {
    const holidays = parseHolidays(['2026-11-25']);
    expect(workingDaysBetween(at('2026-11-23T09:00:00+07:00'), at('2026-11-27T07:30:00+07:00'), holidays)).toBe(2);
  });

  it('takes the day in Vietnam, not in UTC', () => {
    // 23:30 UTC on Sunday is already Monday morning in Vietnam.
    expect(vietnamDay(at('2026-11-22T23:30:00Z'))).toBe('2026-11-23');
  });

  it('finds the day n working days later across a weekend and a holiday', () => {
    expect(addWorkingDays(at('2026-11-26T10:00:00+07:00'), 5, none)).toBe('2026-12-03');
    expect(addWorkingDays(at('2026-11-26T10:00:00+07:00'), 5, parseHolidays(['2026-12-01']))).toBe('2026-12-04');
  });

  it('refuses a holiday list with a malformed day', () => {
    expect(() => parseHolidays(['2026-13-45'])).toThrow(/2026-13-45/);
    expect(() => parseHolidays('2026-01-01')).toThrow();
  });
});
