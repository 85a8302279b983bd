// The meeting point's local SQLite database, opened once per app run. A damaged file (garbage,
// cut short, a zeroed header) never leaves the app without its data and without a word: the
// file is moved aside, the newest backup that opens soundly takes its place, and the app says
// what was restored and from when.
import fs from 'node:fs';
import path from 'node:path';
import { messageOf } from '../../../lib/errors';
import { SqliteStore, StoreError } from '../../../lib/SqliteStore';
import { listBackups } from './Backups';
import { migrations } from './migrations';

export { SqliteStore as Store, StoreError, type Migration } from '../../../lib/SqliteStore';

export interface StoreRecovery {
  /** What was wrong with the file. */
  problem: string;
  /** Where the damaged file was moved (kept for IT to look at). */
  damagedFile: string;
  /** When the restored backup was taken; null when there was none and the store starts empty. */
  restoredFrom: string | null;
}

export async function openLocalStore(file: string): Promise<SqliteStore> {
  const store = await SqliteStore.open(file, migrations);
  // Minutes must survive a power cut, not only a crash: every commit reaches the disk.
  await store.exec('PRAGMA synchronous = FULL');
  return store;
}

async function openChecked(file: string): Promise<SqliteStore> {
  const store = await openLocalStore(file);
  const check = await store.quickCheck().catch(messageOf);
  if (check !== 'ok') {
    await store.close().catch(() => undefined);
    throw new Error(`database disk image is malformed: ${check}`);
  }
  return store;
}

/** Damage, as opposed to a database from a newer app (which must not be moved aside). */
function isDamage(error: unknown): boolean {
  if (error instanceof StoreError) return false;
  const code = (error as { code?: unknown } | null)?.code;
  const text = `${typeof code === 'string' ? code : ''} ${messageOf(error)}`;
  return /SQLITE_NOTADB|SQLITE_CORRUPT|not a database|malformed|disk image/i.test(text);
}

/** Opens the store, checked; a damaged one is set aside and the newest sound backup restored. */
export async function openOrRecover(file: string, backupsDir: string, now: () => Date): Promise<{ store: SqliteStore; recovery: StoreRecovery | null }> {
  try {
    return { store: await openChecked(file), recovery: null };
  } catch (error) {
    if (!isDamage(error)) throw error;
    const damagedFile = `${file}.damaged-${now().toISOString().replace(/[:.]/g, '-')}`;
    fs.renameSync(file, damagedFile);
    for (const suffix of ['-wal', '-shm']) if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, damagedFile + suffix);
    const problem = (error as Error).message;
    for (const backup of listBackups(backupsDir)) {
      fs.copyFileSync(backup.file, file);
      try {
        return { store: await openChecked(file), recovery: { problem, damagedFile, restoredFrom: backup.takenAt } };
      } catch {
        // That backup is damaged too: try the one before.
        fs.rmSync(file, { force: true });
      }
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    return { store: await openChecked(file), recovery: { problem, damagedFile, restoredFrom: null } };
  }
}
