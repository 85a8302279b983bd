// Vietnamese text folded for search: "Kế hoạch Đồng Tâm" → "ke hoach dong tam".
// Each character folds to exactly one character, so positions in the folded text are
// positions in the original (after NFC), which is how snippets keep their diacritics.
export function fold(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    if (ch === 'đ' || ch === 'Đ') out += 'd';
    else {
      const base = ch.normalize('NFD')[0].toLowerCase();
      // Keep one-for-one lengths even for the rare characters whose folding would not.
      out += base.length === ch.length ? base : ch;
    }
  }
  return out;
}
