// Owns the office calendar of this PC: the notices the organizer imported, kept in the store,
// and the calendar built from them. Deadlines read `calendar()`; an import replaces it.
import { messageOf } from '../../../lib/errors';
import type { Store } from '../store/Store';
import { HolidayNoticeError, parseHolidayNotice, type HolidayNotice } from './HolidayNotice';
import { OfficeCalendar, type YearSource } from './OfficeCalendar';

export interface CalendarStatus {
  years: YearSource[];
  /** A year the app will soon count deadlines in that has no notice imported. */
  missingNotice: number | null;
}

/** From this month on, the coming year's notice is expected (the government issues it in autumn). */
const NEXT_YEAR_NOTICE_FROM_MONTH = 10;

export class HolidayNotices {
  private current = new OfficeCalendar(new Map());

  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
  ) {}

  async load(): Promise<void> {
    const rows = await this.store.all<{ body: string }>('SELECT body FROM holiday_notice');
    const notices = new Map<number, HolidayNotice>();
    for (const row of rows) {
      try {
        const notice = parseHolidayNotice(JSON.parse(row.body));
        notices.set(notice.year, notice);
      } catch (error) {
        // A notice this version reads differently is left for the organizer to import again.
        console.warn(`[giao-ban] a kept holiday notice was not read: ${messageOf(error)}`);
      }
    }
    this.current = new OfficeCalendar(notices);
  }

  calendar(): OfficeCalendar {
    return this.current;
  }

  async import(bytes: Buffer): Promise<YearSource> {
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new HolidayNoticeError('bad_notice', 'the file is not JSON');
    }
    const notice = parseHolidayNotice(json);
    await this.store.run(
      `INSERT INTO holiday_notice (year, body, imported_at) VALUES (?, ?, ?)
       ON CONFLICT (year) DO UPDATE SET body = excluded.body, imported_at = excluded.imported_at`,
      [notice.year, JSON.stringify(notice), this.now().toISOString()],
    );
    await this.load();
    return this.current.source(notice.year);
  }

  status(): CalendarStatus {
    const today = this.now();
    const year = today.getUTCFullYear();
    const years = [this.current.source(year), this.current.source(year + 1)];
    const nextNeeded = today.getUTCMonth() + 1 >= NEXT_YEAR_NOTICE_FROM_MONTH;
    const missing = years.find((y, i) => y.notice === null && (i === 0 || nextNeeded));
    return { years, missingNotice: missing?.year ?? null };
  }
}
