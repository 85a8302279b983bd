// Personal notes on a document page: kept on this PC only, never sent anywhere.
import type { PageNote } from '../api/contract';
import type { Store } from './store/Store';

export class PageNotes {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async of(sha256: string): Promise<PageNote[]> {
    return this.store.all<PageNote>(
      'SELECT page, text, updated_at AS updatedAt FROM page_note WHERE sha256 = ? ORDER BY page',
      [sha256],
    );
  }

  async save(sha256: string, page: number, text: string): Promise<void> {
    if (text.trim() === '') {
      await this.store.run('DELETE FROM page_note WHERE sha256 = ? AND page = ?', [sha256, page]);
      return;
    }
    await this.store.run(
      `INSERT INTO page_note (sha256, page, text, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (sha256, page) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at`,
      [sha256, page, text, this.now().toISOString()],
    );
  }
}
