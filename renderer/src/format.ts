// Dates and times as a Vietnamese reader expects them, whatever the PC's own locale: "08:00, thứ
// Tư 02/12/2026", always in Vietnam's time (briefings run on it). English only in English. Built
// by hand rather than with toLocaleString, whose output follows the OS and its ICU data.
export type Language = 'vi' | 'en';

const VN_OFFSET_MS = 7 * 3600_000;
const WEEKDAYS: Record<Language, string[]> = {
  vi: ['Chủ nhật', 'thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The wall clock in Vietnam at `iso`, as numbers. */
function vietnamClock(iso: string): { year: number; month: number; day: number; weekday: number; hour: number; minute: number; second: number } | null {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms + VN_OFFSET_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

const two = (n: number) => String(n).padStart(2, '0');

/** "08:00" (add seconds with `seconds`). */
export function formatTime(iso: string, options: { seconds?: boolean } = {}): string {
  const c = vietnamClock(iso);
  if (!c) return '';
  return `${two(c.hour)}:${two(c.minute)}${options.seconds ? `:${two(c.second)}` : ''}`;
}

/** "thứ Tư 02/12/2026" / "Wednesday 2 Dec 2026". */
export function formatDate(iso: string, language: Language): string {
  const c = vietnamClock(iso);
  if (!c) return '';
  if (language === 'en') return `${WEEKDAYS.en[c.weekday] ?? ''} ${c.day} ${MONTHS_EN[c.month - 1] ?? ''} ${c.year}`;
  return `${WEEKDAYS.vi[c.weekday] ?? ''} ${two(c.day)}/${two(c.month)}/${c.year}`;
}

/** "08:00, thứ Tư 02/12/2026" / "08:00, Wednesday 2 Dec 2026". */
export function formatDateTime(iso: string, language: Language): string {
  const date = formatDate(iso, language);
  return date ? `${formatTime(iso)}, ${date}` : '';
}

/** The day in Vietnam at `iso`, as "02/12/2026" / "2 Dec 2026". */
export function formatShortDate(iso: string, language: Language): string {
  const c = vietnamClock(iso);
  if (!c) return '';
  return formatDay(`${c.year}-${two(c.month)}-${two(c.day)}`, language);
}

export const languageOf = (code: string): Language => (code === 'en' ? 'en' : 'vi');

/** A calendar day (YYYY-MM-DD) as "02/12/2026" / "2 Dec 2026". */
export function formatDay(day: string, language: Language): string {
  const [year, month, date] = day.split('-').map(Number);
  if (!year || !month || !date) return day;
  return language === 'en' ? `${date} ${MONTHS_EN[month - 1] ?? ''} ${year}` : `${two(date)}/${two(month)}/${year}`;
}
