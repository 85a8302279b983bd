// One search box over every local briefing, agenda item and document page, insensitive to
// Vietnamese diacritics (SQLite FTS5 over folded text).
import type { Store } from '../store/Store';
import { fold } from './fold';

export type SearchKind = 'briefing' | 'agenda' | 'page';

export interface SearchHit {
  kind: SearchKind;
  /** briefing code; `code#item` for an agenda item; `sha256#page` for a document page. */
  ref: string;
  title: string;
  snippet: string;
}

const SNIPPET_CHARS = 160;

export class LocalSearch {
  constructor(private readonly store: Store) {}

  /** Replaces what is indexed under `ref`. */
  async index(kind: SearchKind, ref: string, title: string, body: string): Promise<void> {
    const t = title.normalize('NFC');
    const b = body.normalize('NFC');
    await this.store.run('DELETE FROM search_index WHERE ref = ?', [ref]);
    await this.store.run(
      'INSERT INTO search_index (kind, ref, title_original, body_original, title, body) VALUES (?, ?, ?, ?, ?, ?)',
      [kind, ref, t, b, fold(t), fold(b)],
    );
  }

  async remove(refPrefix: string): Promise<void> {
    await this.store.run("DELETE FROM search_index WHERE ref = ? OR ref LIKE ? ESCAPE '\\'", [
      refPrefix,
      `${refPrefix.replace(/[%_\\]/g, '\\$&')}#%`,
    ]);
  }

  async search(query: string, limit = 50): Promise<SearchHit[]> {
    const words = fold(query)
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean)
      .slice(0, 12);
    if (words.length === 0) return [];
    // Each word as a quoted prefix term: user input never reaches FTS syntax.
    const match = words.map((w) => `"${w}"*`).join(' ');
    const rows = await this.store.all<{ kind: SearchKind; ref: string; title_original: string; body_original: string }>(
      'SELECT kind, ref, title_original, body_original FROM search_index WHERE search_index MATCH ? ORDER BY rank LIMIT ?',
      [match, limit],
    );
    return rows.map((row) => ({
      kind: row.kind,
      ref: row.ref,
      title: row.title_original,
      snippet: snippetAround(row.body_original, words[0]),
    }));
  }
}

function snippetAround(original: string, foldedWord: string): string {
  const at = fold(original).indexOf(foldedWord);
  if (at < 0) return original.slice(0, SNIPPET_CHARS);
  const start = Math.max(0, at - SNIPPET_CHARS / 2);
  return `${start > 0 ? '…' : ''}${original.slice(start, start + SNIPPET_CHARS)}${start + SNIPPET_CHARS < original.length ? '…' : ''}`;
}
