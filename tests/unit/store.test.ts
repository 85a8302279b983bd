import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { BriefingHistory } from '../../main/services/BriefingHistory';
import { MeetingPoint } from '../../main/services/MeetingPoint';
import { migrations } from '../../main/services/store/migrations';
import { openLocalStore, Store, StoreError } from '../../main/services/store/Store';

const dirs: string[] = [];
function tempDb(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-store-'));
  dirs.push(dir);
  return path.join(dir, 'store.sqlite3');
}
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const newest = Math.max(...migrations.map((m) => m.version));

describe('local store migrations', () => {
  it('brings an empty database to the newest schema with a default profile', async () => {
    const store = await openLocalStore(tempDb());
    expect(await store.schemaVersion()).toBe(newest);
    expect(await new MeetingPoint(store).profile()).toEqual({
      serverUrl: '',
      briefingCode: '',
      pointName: '',
      cameraId: null,
      microphoneId: null,
      language: 'vi',
      relayOnly: false,
      chairSignsMinutesAlone: false,
      pcRole: null,
    });
    await store.close();
  });

  it('upgrades a database from an older app and keeps the meeting point it knew', async () => {
    const file = tempDb();
    const old = await Store.open(file, migrations.filter((m) => m.version === 1));
    expect(await old.schemaVersion()).toBe(1);
    // What the first version of the app wrote, in its own schema.
    await old.run("UPDATE meeting_point_profile SET server_url = 'ws://10.0.0.5:7080', point_name = 'Xã Tân Lập', language = 'en' WHERE id = 1");
    await old.close();

    const upgraded = await openLocalStore(file);
    expect(await upgraded.schemaVersion()).toBe(newest);
    expect(await new MeetingPoint(upgraded).profile()).toMatchObject({ pointName: 'Xã Tân Lập', language: 'en', relayOnly: false });
    expect(await new BriefingHistory(upgraded).list()).toEqual([]);
    await upgraded.close();
  });

  it('refuses a database written by a newer app instead of damaging it', async () => {
    const file = tempDb();
    await (await openLocalStore(file)).close();
    const db = new sqlite3.Database(file);
    await new Promise<void>((resolve, reject) => db.exec(`PRAGMA user_version = ${newest + 5}`, (e) => (e ? reject(e) : resolve())));
    await new Promise<void>((resolve) => db.close(() => resolve()));
    await expect(openLocalStore(file)).rejects.toThrow(StoreError);
  });

  it('leaves the database at the previous version when a migration fails', async () => {
    const file = tempDb();
    const broken = [...migrations, { version: newest + 1, why: 'test', sql: 'CREATE TABLE x (a); INSERT INTO nope VALUES (1);' }];
    await expect(Store.open(file, broken)).rejects.toThrow(/migration/);
    const store = await openLocalStore(file);
    expect(await store.schemaVersion()).toBe(newest);
    expect(await store.all("SELECT name FROM sqlite_master WHERE name = 'x'")).toEqual([]);
    await store.close();
  });
});

describe('briefing history', () => {
  it('records when, how long, and which meeting points were present', async () => {
    const store = await openLocalStore(tempDb());
    let clock = Date.parse('2026-11-23T07:30:00Z');
    const history = new BriefingHistory(store, () => new Date(clock));
    const id = await history.joined({ serverUrl: 'ws://10.0.0.5:7080', briefingCode: 'giaoban', pointName: 'Xã Tân Lập' });
    clock += 60_000;
    await history.present(id, ['UBND huyện']);
    clock += 60_000;
    await history.present(id, ['UBND huyện', 'Xã Đồng Tâm', 'UBND huyện']);
    clock += 30 * 60_000;
    await history.left(id);
    const [entry] = await history.list();
    expect(entry.durationSeconds).toBe(32 * 60);
    expect(entry.pointsPresent).toEqual(['UBND huyện', 'Xã Đồng Tâm']);
    expect(entry.leftAt).toBe('2026-11-23T08:02:00.000Z');
    await store.close();
  });

  it('after a crash, counts the briefing up to the last sign of life', async () => {
    const file = tempDb();
    let clock = Date.parse('2026-11-23T07:30:00Z');
    const store = await openLocalStore(file);
    const history = new BriefingHistory(store, () => new Date(clock));
    const id = await history.joined({ serverUrl: 'ws://h', briefingCode: 'giaoban', pointName: 'Xã A' });
    clock += 10 * 60_000;
    await history.present(id, ['UBND huyện']);
    await store.close(); // the app dies here without calling left()
    const reopened = await openLocalStore(file);
    const [entry] = await new BriefingHistory(reopened).list();
    expect(entry.leftAt).toBeNull();
    expect(entry.durationSeconds).toBe(600);
    await reopened.close();
  });
});
