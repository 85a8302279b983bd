// Dates read the Vietnamese way on any PC: the process here runs with an en-US locale (and the
// UTC clock), which is what an English-installed Windows gives the app.
import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatDay, formatTime } from '../../renderer/src/format';

describe('dates and times', () => {
  it('are Vietnamese, in Vietnam time, whatever the process locale', () => {
    const before = process.env.LANG;
    process.env.LANG = 'en_US.UTF-8';
    try {
      expect(new Date('2026-12-02T01:00:00Z').toLocaleString('en-US')).toContain('12/2/2026'); // what the OS default would show
      expect(formatDateTime('2026-12-02T01:00:00Z', 'vi')).toBe('08:00, thứ Tư 02/12/2026');
      // Past midnight in Vietnam while still the day before in UTC.
      expect(formatDateTime('2026-12-05T17:30:00Z', 'vi')).toBe('00:30, Chủ nhật 06/12/2026');
      expect(formatTime('2026-12-02T01:02:03Z', { seconds: true })).toBe('08:02:03');
      expect(formatDay('2026-12-04', 'vi')).toBe('04/12/2026');
    } finally {
      process.env.LANG = before;
    }
  });

  it('are English only in English, and empty for what is not a date', () => {
    expect(formatDateTime('2026-12-02T01:00:00Z', 'en')).toBe('08:00, Wednesday 2 Dec 2026');
    expect(formatDate('2026-12-02T01:00:00Z', 'en')).toBe('Wednesday 2 Dec 2026');
    expect(formatDay('2026-12-04', 'en')).toBe('4 Dec 2026');
    expect(formatDateTime('không phải ngày', 'vi')).toBe('');
  });
});
