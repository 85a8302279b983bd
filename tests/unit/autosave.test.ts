// The minutes editor's autosave: within a second of typing, never two saves at once, nothing
// lost when a save fails, and autosave stopped (text kept) when another PC saved first.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Autosaver } from '../../renderer/src/minutes/Autosaver';

class Conflict extends Error {}

function recorder(options: { failTimes?: number; conflict?: boolean; delayMs?: number } = {}) {
  const control = { conflict: options.conflict ?? false };
  const saves: { value: string; base: number; at: number }[] = [];
  let failures = options.failTimes ?? 0;
  let saving = 0;
  let overlapped = false;
  const save = async (value: string, base: number) => {
    saving++;
    if (saving > 1) overlapped = true;
    await new Promise((r) => setTimeout(r, options.delayMs ?? 50));
    saving--;
    if (control.conflict) throw new Conflict('changed elsewhere');
    if (failures > 0) {
      failures--;
      throw new Error('disk busy');
    }
    saves.push({ value, base, at: Date.now() });
    return { revision: base + 1, updatedAt: new Date().toISOString() };
  };
  return { saves, save, control, overlapped: () => overlapped };
}

beforeEach(() => vi.useFakeTimers({ now: 0 }));
afterEach(() => vi.useRealTimers());

describe('autosave of the minutes', () => {
  it('saves after a pause in typing, and within a second while typing goes on', async () => {
    const r = recorder();
    const saver = new Autosaver(r.save, 0);
    saver.change('K');
    await vi.advanceTimersByTimeAsync(399);
    expect(r.saves).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(r.saves.map((s) => s.value)).toEqual(['K']);

    // Continuous typing, a key every 100 ms for 3 s: never more than 1 s between saves.
    const start = Date.now();
    for (let i = 0; i < 30; i++) {
      saver.change(`Khai mạc ${i}`);
      await vi.advanceTimersByTimeAsync(100);
    }
    await vi.advanceTimersByTimeAsync(1000);
    const times = [start, ...r.saves.slice(1).map((s) => s.at)];
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeLessThanOrEqual(1050 + 50);
    expect(r.saves.at(-1)?.value).toBe('Khai mạc 29');
    expect(saver.current).toMatchObject({ status: 'saved', revision: r.saves.length });
    expect(r.overlapped()).toBe(false);
  });

  it('never runs two saves at once, and saves the newest text after a slow save', async () => {
    const r = recorder({ delayMs: 1500 });
    const saver = new Autosaver(r.save, 0);
    saver.change('một');
    await vi.advanceTimersByTimeAsync(500);
    saver.change('một hai');
    saver.change('một hai ba');
    await vi.advanceTimersByTimeAsync(5000);
    expect(r.overlapped()).toBe(false);
    expect(r.saves.map((s) => [s.value, s.base])).toEqual([
      ['một', 0],
      ['một hai ba', 1],
    ]);
  });

  it('keeps the text and tries again when a save fails', async () => {
    const r = recorder({ failTimes: 1 });
    const states: string[] = [];
    const saver = new Autosaver(r.save, 3, (s) => states.push(s.status));
    saver.change('Biểu quyết thông qua');
    await vi.advanceTimersByTimeAsync(500);
    expect(saver.current.status).toBe('error');
    await vi.advanceTimersByTimeAsync(2500);
    expect(r.saves.map((s) => [s.value, s.base])).toEqual([['Biểu quyết thông qua', 3]]);
    expect(states.at(-1)).toBe('saved');
  });

  it('stops on a conflict, keeps the text, and continues on the revision the secretary accepts', async () => {
    const r = recorder({ conflict: true });
    const saver = new Autosaver(r.save, 5, undefined, { isConflict: (e) => e instanceof Conflict });
    saver.change('bản của máy này');
    await vi.advanceTimersByTimeAsync(500);
    expect(saver.current.status).toBe('conflict');
    saver.change('bản của máy này, gõ thêm');
    await vi.advanceTimersByTimeAsync(3000);
    expect(saver.current.status).toBe('conflict');
    expect(r.saves).toEqual([]);
    // The secretary keeps this PC's text over revision 9, the one the other PC saved.
    r.control.conflict = false;
    saver.resume(9);
    await vi.advanceTimersByTimeAsync(200);
    expect(r.saves).toEqual([expect.objectContaining({ value: 'bản của máy này, gõ thêm', base: 9 })]);
    expect(saver.current).toMatchObject({ status: 'saved', revision: 10 });
  });
});
