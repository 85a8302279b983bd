// A SQLite database (sqlite3) with numbered migrations, for the server's catalog and the
// meeting point's local store alike.
//
// One connection, one queue: every statement waits for the one before, and a transaction holds
// the queue from BEGIN to COMMIT. So no service's write can land inside another's transaction
// (and be rolled back with it), and two transactions never nest.
import fs from 'node:fs';
import path from 'node:path';
import sqlite3 from 'sqlite3';

export interface Migration {
  version: number;
  why: string;
  sql: string;
}

type Params = Record<string, unknown> | unknown[];

export class StoreError extends Error {}

/** What a transaction's work may do: statements that run inside it, not behind it in the queue. */
export interface Transaction {
  run(sql: string, params?: Params): Promise<{ lastID: number; changes: number }>;
  get<T>(sql: string, params?: Params): Promise<T | undefined>;
  all<T>(sql: string, params?: Params): Promise<T[]>;
}

/** sqlite3's online backup (Database#backup), which its type declarations leave out. */
interface OnlineBackup {
  step(pages: number, callback: (error: Error | null) => void): void;
  finish(callback: (error: Error | null) => void): void;
  readonly completed: boolean;
}
type WithBackup = { backup(file: string, callback: (error: Error | null) => void): OnlineBackup };

function raw(db: sqlite3.Database): Transaction & { exec(sql: string): Promise<void> } {
  return {
    run: (sql, params = []) =>
      new Promise((resolve, reject) => {
        db.run(sql, params, function (error) {
          if (error) reject(error);
          else resolve({ lastID: this.lastID, changes: this.changes });
        });
      }),
    get: <T>(sql: string, params: Params = []) =>
      new Promise<T | undefined>((resolve, reject) => db.get(sql, params, (error, row) => (error ? reject(error) : resolve(row as T | undefined)))),
    all: <T>(sql: string, params: Params = []) =>
      new Promise<T[]>((resolve, reject) => db.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows as T[])))),
    exec: (sql) => new Promise((resolve, reject) => db.exec(sql, (error) => (error ? reject(error) : resolve()))),
  };
}

export class SqliteStore {
  private readonly direct: ReturnType<typeof raw>;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly db: sqlite3.Database) {
    this.direct = raw(db);
  }

  /** Opens (creating if needed) the database and brings its schema up to date. */
  static async open(file: string, migrations: Migration[]): Promise<SqliteStore> {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const handle = new sqlite3.Database(file, (error) => (error ? reject(error) : resolve(handle)));
    });
    const store = new SqliteStore(db);
    try {
      // WAL keeps readers and the writer apart; foreign keys are off by default in SQLite.
      await store.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
      await store.migrate(migrations);
    } catch (error) {
      await store.close().catch(() => undefined);
      throw error;
    }
    return store;
  }

  /** Runs `work` after everything queued before it, and before anything queued after. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async schemaVersion(): Promise<number> {
    const row = await this.get<{ user_version: number }>('PRAGMA user_version');
    return row?.user_version ?? 0;
  }

  run(sql: string, params: Params = []): Promise<{ lastID: number; changes: number }> {
    return this.serial(() => this.direct.run(sql, params));
  }

  get<T>(sql: string, params: Params = []): Promise<T | undefined> {
    return this.serial(() => this.direct.get<T>(sql, params));
  }

  all<T>(sql: string, params: Params = []): Promise<T[]> {
    return this.serial(() => this.direct.all<T>(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.serial(() => this.direct.exec(sql));
  }

  /** BEGIN IMMEDIATE … COMMIT around `work`, holding the queue; any error rolls back. */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      await this.direct.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(this.direct);
        await this.direct.exec('COMMIT');
        return result;
      } catch (error) {
        await this.direct.exec('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /** SQLite's own check of the file's pages and indexes; 'ok' when sound. */
  async quickCheck(): Promise<string> {
    const rows = await this.all<{ quick_check: string }>('PRAGMA quick_check');
    return rows.map((r) => r.quick_check).join('; ');
  }

  /** A consistent copy of the open database (SQLite's online backup API), written to `file`. */
  backupTo(file: string): Promise<void> {
    return this.serial(
      () =>
        new Promise<void>((resolve, reject) => {
          const backup = (this.db as unknown as WithBackup).backup(file, (error) => {
            if (error) return reject(error);
            backup.step(-1, (stepError) => {
              backup.finish((finishError) => {
                const failure = stepError ?? finishError;
                if (failure) reject(failure);
                else resolve();
              });
            });
          });
        }),
    );
  }

  close(): Promise<void> {
    return this.serial(() => new Promise<void>((resolve, reject) => this.db.close((error) => (error ? reject(error) : resolve()))));
  }

  private async migrate(migrations: Migration[]): Promise<void> {
    const current = await this.schemaVersion();
    const newest = Math.max(0, ...migrations.map((m) => m.version));
    if (current > newest) {
      throw new StoreError(
        `the database is from a newer Giao Ban (schema ${current}, this app knows ${newest}); update the app`,
      );
    }
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (migration.version <= current) continue;
      // One transaction per step: a failed step leaves the database at the previous version.
      try {
        await this.exec(`BEGIN; ${migration.sql}; PRAGMA user_version = ${migration.version}; COMMIT;`);
      } catch (error) {
        await this.exec('ROLLBACK').catch(() => undefined);
        throw new StoreError(`migration ${migration.version} (${migration.why}) failed: ${(error as Error).message}`);
      }
    }
  }
}
