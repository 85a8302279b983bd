// A SQLite database (sqlite3) with numbered migrations, for the server's catalog and the
// meeting point's local store alike.
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

export class SqliteStore {
  private constructor(private readonly db: sqlite3.Database) {}

  /** Opens (creating if needed) the database and brings its schema up to date. */
  static async open(file: string, migrations: Migration[]): Promise<SqliteStore> {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const handle = new sqlite3.Database(file, (error) => (error ? reject(error) : resolve(handle)));
    });
    const store = new SqliteStore(db);
    // WAL keeps readers and the writer apart; foreign keys are off by default in SQLite.
    await store.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
    await store.migrate(migrations);
    return store;
  }

  async schemaVersion(): Promise<number> {
    const row = await this.get<{ user_version: number }>('PRAGMA user_version');
    return row?.user_version ?? 0;
  }

  run(sql: string, params: Params = []): Promise<{ lastID: number; changes: number }> {
    return new Promise((resolve, reject) => {
      this.db.run(sql, params, function (error) {
        if (error) reject(error);
        else resolve({ lastID: this.lastID, changes: this.changes });
      });
    });
  }

  get<T>(sql: string, params: Params = []): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
      this.db.get(sql, params, (error, row) => (error ? reject(error) : resolve(row as T | undefined)));
    });
  }

  all<T>(sql: string, params: Params = []): Promise<T[]> {
    return new Promise((resolve, reject) => {
      this.db.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows as T[])));
    });
  }

  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.db.exec(sql, (error) => (error ? reject(error) : resolve())));
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.db.close((error) => (error ? reject(error) : resolve())));
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
