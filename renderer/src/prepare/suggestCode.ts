// A briefing code suggested from its title, as the rule wants it (letters without diacritics,
// digits, - and _, 3 to 40 characters): "Giao ban tháng 12" → "giao-ban-thang-12".
import { BriefingCode } from '../../../sfu-server/protocol';
import { unitKey } from '../../../sfu-server/protocol/followUp';

export function suggestCode(title: string): string {
  const slug = unitKey(title)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug.length >= 3 ? slug : '';
}

export function isValidCode(code: string): boolean {
  return BriefingCode.safeParse(code).success;
}
