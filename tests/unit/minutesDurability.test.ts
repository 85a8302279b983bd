// A secretary's minutes survive a killed app: a separate process writes through the same store,
// is killed with SIGKILL, and everything it had saved is there when the store reopens.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { MinutesStore } from '../../main/services/minutes/MinutesStore';
import { openLocalStore } from '../../main/services/store/Store';

const root = path.resolve(import.meta.dirname, '..', '..');

// Node with tsx's loader in the same process: the `tsx` command would run the writer in a child
// process, and SIGKILL would kill only the wrapper while the writer went on writing.
it('keeps every word saved before a SIGKILL', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-durable-'));
  const writer = spawn(process.execPath, ['--import', 'tsx', 'tests/support/minutesWriter.ts', dataDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const saved: { word: number; at: number }[] = [];
  let buffer = '';
  writer.stdout.on('data', (chunk) => {
    buffer += chunk;
    for (const line of buffer.split('\n').slice(0, -1)) {
      const match = /^saved (\d+)$/.exec(line);
      if (match) saved.push({ word: Number(match[1]), at: Date.now() });
    }
    buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
  });
  // Let it write for a while, then kill it mid-stride.
  await expect.poll(() => saved.length, { timeout: 20_000 }).toBeGreaterThan(40);
  const killedAt = Date.now();
  writer.kill('SIGKILL');
  await new Promise((resolve) => writer.once('exit', resolve));

  const store = await openLocalStore(path.join(dataDir, 'giao-ban.sqlite3'));
  const text = (await new MinutesStore(store).load('giaoban-ben-vung'))!.minutes.items[0].proceedings;
  const wordsKept = text.trim().split(' ').length;
  const lastAcknowledged = saved.at(-1)!.word;
  const lastSecondBefore = saved.filter((s) => s.at <= killedAt - 1000).at(-1)?.word ?? 0;
  expect(wordsKept).toBeGreaterThanOrEqual(lastAcknowledged);
  expect(wordsKept).toBeGreaterThanOrEqual(lastSecondBefore);
  expect(text.startsWith('từ-1 từ-2 từ-3')).toBe(true);
  await store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});
