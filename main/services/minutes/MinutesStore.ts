// Minutes on this PC. Every save is a committed SQLite transaction (synchronous = FULL), so a
// killed app or a power cut loses only what was typed after the last save; the renderer saves
// within a second of typing. Earlier versions are kept, one a minute, to view and restore.
import type { Store } from '../store/Store';
import { Minutes } from './model';

/** How often a save also keeps a version in the history. */
export const SNAPSHOT_EVERY_MS = 60_000;

export class MinutesConflictError extends Error {
  constructor(readonly currentRevision: number) {
    super(`the minutes were changed elsewhere (now at revision ${currentRevision}); reload before saving`);
  }
}

export interface SavedMinutes {
  minutes: Minutes;
  revision: number;
  updatedAt: string;
}

export class MinutesStore {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async load(briefingCode: string): Promise<SavedMinutes | null> {
    const row = await this.store.get<{ body: string; revision: number; updated_at: string }>(
      'SELECT body, revision, updated_at FROM minutes WHERE briefing_code = ?',
      [briefingCode],
    );
    return row ? { minutes: Minutes.parse(JSON.parse(row.body)), revision: row.revision, updatedAt: row.updated_at } : null;
  }

  /** Saves over `baseRevision` (0 for new minutes); refuses if someone saved in between. */
  async save(input: unknown, baseRevision: number): Promise<{ revision: number; updatedAt: string }> {
    const minutes = Minutes.parse(input);
    const body = JSON.stringify(minutes);
    const at = this.now().toISOString();
    // The store's queue keeps every other service's writes out of this transaction, and a second
    // save of the same minutes waits for this one, then finds the revision moved on: a conflict.
    return this.store.transaction(async (tx) => {
      const current = await tx.get<{ revision: number }>('SELECT revision FROM minutes WHERE briefing_code = ?', [minutes.briefingCode]);
      if ((current?.revision ?? 0) !== baseRevision) throw new MinutesConflictError(current?.revision ?? 0);
      const revision = baseRevision + 1;
      await tx.run(
        `INSERT INTO minutes (briefing_code, body, revision, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (briefing_code) DO UPDATE SET body = excluded.body, revision = excluded.revision, updated_at = excluded.updated_at`,
        [minutes.briefingCode, body, revision, at],
      );
      const last = await tx.get<{ saved_at: string }>(
        'SELECT saved_at FROM minutes_version WHERE briefing_code = ? ORDER BY revision DESC LIMIT 1',
        [minutes.briefingCode],
      );
      if (!last || Date.parse(at) - Date.parse(last.saved_at) >= SNAPSHOT_EVERY_MS) {
        await tx.run('INSERT INTO minutes_version (briefing_code, revision, body, saved_at) VALUES (?, ?, ?, ?)', [
          minutes.briefingCode,
          revision,
          body,
          at,
        ]);
      }
      return { revision, updatedAt: at };
    });
  }

  async versions(briefingCode: string): Promise<{ revision: number; savedAt: string }[]> {
    return this.store.all('SELECT revision, saved_at AS savedAt FROM minutes_version WHERE briefing_code = ? ORDER BY revision DESC', [
      briefingCode,
    ]);
  }

  async version(briefingCode: string, revision: number): Promise<Minutes | null> {
    const row = await this.store.get<{ body: string }>('SELECT body FROM minutes_version WHERE briefing_code = ? AND revision = ?', [
      briefingCode,
      revision,
    ]);
    return row ? Minutes.parse(JSON.parse(row.body)) : null;
  }

  /** Brings back an earlier version as the newest one; the history keeps everything. */
  async restore(briefingCode: string, revision: number): Promise<{ revision: number; updatedAt: string }> {
    const old = await this.version(briefingCode, revision);
    if (!old) throw new Error(`no version ${revision} of these minutes`);
    const current = await this.load(briefingCode);
    return this.save(old, current?.revision ?? 0);
  }
}
