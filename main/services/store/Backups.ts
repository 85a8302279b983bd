// Rotating online backups of the local store (SQLite's backup API, a consistent copy while the
// app runs): hourly while this PC is in a briefing, daily otherwise, the last 7 kept. They are
// what a damaged store is restored from (see Store.ts).
import fs from 'node:fs';
import path from 'node:path';
import type { SqliteStore } from '../../../lib/SqliteStore';

export const KEEP_BACKUPS = 7;
const HOUR_MS = 3600_000;
const NAME = /^giao-ban-(\d{8}T\d{6}Z)\.sqlite3$/;

export interface BackupFile {
  file: string;
  takenAt: string;
}

/** giao-ban-20261130T091500Z.sqlite3 ↔ 2026-11-30T09:15:00.000Z */
const stamp = (at: Date) => at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const unstamp = (s: string) => new Date(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`).toISOString();

/** The backups in a folder, newest first. */
export function listBackups(dir: string): BackupFile[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((name) => NAME.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ file: path.join(dir, m[0]), takenAt: unstamp(m[1]) }))
    .sort((a, b) => b.takenAt.localeCompare(a.takenAt));
}

export class Backups {
  constructor(
    private readonly store: SqliteStore,
    readonly dir: string,
    private readonly now: () => Date,
  ) {}

  /** Takes a backup now and drops those past the last KEEP_BACKUPS. */
  async take(): Promise<BackupFile> {
    fs.mkdirSync(this.dir, { recursive: true });
    const at = this.now();
    const file = path.join(this.dir, `giao-ban-${stamp(at)}.sqlite3`);
    // Written beside, then renamed: a backup that is listed is a whole one.
    const partial = `${file}.part`;
    fs.rmSync(partial, { force: true });
    await this.store.backupTo(partial);
    fs.renameSync(partial, file);
    for (const old of listBackups(this.dir).slice(KEEP_BACKUPS)) fs.rmSync(old.file, { force: true });
    return { file, takenAt: at.toISOString() };
  }

  /** Takes one if the newest is older than an hour (in a briefing) or a day (otherwise). */
  async takeIfDue(inBriefing: boolean): Promise<BackupFile | null> {
    const newest = listBackups(this.dir).at(0);
    const age = newest ? this.now().getTime() - Date.parse(newest.takenAt) : Infinity;
    return age >= (inBriefing ? HOUR_MS : 24 * HOUR_MS) ? this.take() : null;
  }
}
