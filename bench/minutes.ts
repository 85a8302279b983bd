// Minutes: what an autosave costs (a committed save through the app's store against a bare
// sqlite3 insert of the same text with the same durability), and the durability window: how much
// typing a SIGKILL loses, measured by killing a writer process mid-typing.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { MinutesStore } from '../main/services/minutes/MinutesStore';
import { emptyItem } from '../main/services/minutes/model';
import { openLocalStore } from '../main/services/store/Store';
import { type Figure, alternate, figure, median } from './lib/figures';

const root = path.resolve(import.meta.dirname, '..');
/** The autosave's longest wait (renderer/src/minutes/Autosaver.ts). */
const AUTOSAVE_MAX_WAIT_MS = 1000;
/** A fast secretary: 5 keystrokes a second, so one save per 5 keystrokes at most. */
const KEYSTROKES_PER_SAVE = 5;

const text = (n: number) => 'Ủy ban nhân dân các xã báo cáo tình hình thực hiện nhiệm vụ. '.repeat(n);

async function bareSqlite(dir: string, saves: number): Promise<number> {
  const db = new sqlite3.Database(path.join(dir, `bare-${Date.now()}.sqlite3`));
  const run = (sql: string, params: unknown[] = []) => new Promise<void>((resolve, reject) => db.run(sql, params, (e) => (e ? reject(e) : resolve())));
  await run('PRAGMA journal_mode = WAL');
  await run('PRAGMA synchronous = FULL');
  await run('CREATE TABLE minutes (briefing_code TEXT PRIMARY KEY, body TEXT, revision INTEGER, updated_at TEXT)');
  const started = performance.now();
  for (let i = 1; i <= saves; i++) {
    await run('INSERT OR REPLACE INTO minutes VALUES (?, ?, ?, ?)', ['bench', JSON.stringify({ proceedings: text(40) + i }), i, new Date().toISOString()]);
  }
  const ms = (performance.now() - started) / saves;
  await new Promise((resolve) => db.close(resolve));
  return ms;
}

async function ourStore(dir: string, saves: number): Promise<number> {
  const store = await openLocalStore(path.join(dir, `ours-${Date.now()}.sqlite3`));
  const minutes = new MinutesStore(store);
  let revision = 0;
  const started = performance.now();
  for (let i = 1; i <= saves; i++) {
    revision = (await minutes.save({ briefingCode: 'bench', items: [{ ...emptyItem(), proceedings: text(40) + i }], attendance: [], cursor: null }, revision)).revision;
  }
  const ms = (performance.now() - started) / saves;
  await store.close();
  return ms;
}

/** Kills the writer after a random time; returns how long before the kill the last kept save was acknowledged. */
async function killOnce(dir: string): Promise<number> {
  const dataDir = fs.mkdtempSync(path.join(dir, 'kill-'));
  const writer = spawn(process.execPath, ['--import', 'tsx', 'tests/support/minutesWriter.ts', dataDir], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const acknowledged = new Map<number, number>();
  let buffer = '';
  writer.stdout.on('data', (chunk) => {
    buffer += chunk;
    for (const line of buffer.split('\n').slice(0, -1)) {
      const match = /^saved (\d+)$/.exec(line);
      if (match) acknowledged.set(Number(match[1]), performance.now());
    }
    buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
  });
  while (acknowledged.size < 20) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, Math.random() * 500));
  const killedAt = performance.now();
  writer.kill('SIGKILL');
  await new Promise((resolve) => writer.once('exit', resolve));
  const store = await openLocalStore(path.join(dataDir, 'giao-ban.sqlite3'));
  const kept = (await new MinutesStore(store).load('giaoban-ben-vung'))!.minutes.items[0].proceedings.trim().split(' ').length;
  await store.close();
  const lost = [...acknowledged.keys()].filter((word) => word > kept);
  if (lost.length) throw new Error(`acknowledged saves were lost: ${lost.join(', ')}`);
  // The newest kept save was on disk this long before the kill; typing after it is what is lost.
  return killedAt - (acknowledged.get(kept) ?? killedAt);
}

export async function minutesBenchmark(quick: boolean, runs: number): Promise<Figure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-bench-minutes-'));
  try {
    const saves = quick ? 30 : 100;
    const cost = await alternate(runs, () => ourStore(dir, saves), () => bareSqlite(dir, saves));
    const gaps: number[] = [];
    for (let i = 0; i < (quick ? 3 : runs); i++) gaps.push(await killOnce(dir));
    return [
      figure({
        benchmark: 'minutes',
        name: 'autosave cost per keystroke',
        unit: 'ms',
        ours: cost.ours / KEYSTROKES_PER_SAVE,
        reference: cost.reference / KEYSTROKES_PER_SAVE,
        referenceName: 'bare sqlite3 insert, synchronous=FULL',
        runs,
        target: null,
        note: `one committed save per ${KEYSTROKES_PER_SAVE} keystrokes`,
      }),
      figure({
        benchmark: 'minutes',
        name: 'durability window: typing a SIGKILL can lose',
        unit: 'ms',
        ours: AUTOSAVE_MAX_WAIT_MS + Math.max(...gaps),
        reference: null,
        referenceName: null,
        runs: gaps.length,
        target: null,
        note: `autosave wait ${AUTOSAVE_MAX_WAIT_MS} ms + worst ${Math.max(...gaps).toFixed(0)} ms (median ${median(gaps).toFixed(0)}) from the last save on disk to the kill, in ${gaps.length} kills; no acknowledged save lost`,
      }),
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
