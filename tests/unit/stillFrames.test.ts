// Saving data, thumbnails are still frames refreshed one at a time: what the link carries is one
// thumbnail's key frame now and then, never a page of them at once (which cut the sound behind a
// 256 kbps link), and each thumbnail still gets a fresh picture every several seconds.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { STILL_FRAME_EVERY_MS, STILL_FRAME_FLOW_MS, StillFrames } from '../../renderer/src/briefing/stillFrames';

beforeEach(() => vi.useFakeTimers({ now: 0 }));
afterEach(() => vi.useRealTimers());

/** Runs the rotation for `ms` and returns, per 100 ms, which thumbnails flowed. */
function watch(thumbnails: string[], ms: number): { flowing: string[][]; stills: StillFrames } {
  const stills = new StillFrames(() => thumbnails, () => undefined);
  stills.start();
  const flowing: string[][] = [];
  for (let t = 0; t < ms; t += 100) {
    flowing.push(thumbnails.filter((id) => stills.refreshing(id)));
    vi.advanceTimersByTime(100);
  }
  return { flowing, stills };
}

describe('still thumbnails while saving data', () => {
  it('refreshes a page of eight one at a time, each within a period and a little', () => {
    const page = Array.from({ length: 8 }, (_, i) => `video-${i}`);
    const { flowing } = watch(page, 30_000);
    expect(Math.max(...flowing.map((f) => f.length))).toBe(1);
    // Each thumbnail's refreshes start no further apart than the period plus one step.
    for (const id of page) {
      const starts = flowing.flatMap((f, i) => (f.includes(id) && !flowing[i - 1]?.includes(id) ? [i * 100] : []));
      expect(starts.length).toBeGreaterThanOrEqual(2);
      const gaps = starts.slice(1).map((t, i) => t - starts[i]);
      expect(Math.max(...gaps)).toBeLessThanOrEqual(STILL_FRAME_EVERY_MS + 2 * STILL_FRAME_FLOW_MS);
    }
  });

  it('lets a lone thumbnail flow only for its moment, not all the time', () => {
    const { flowing } = watch(['video-0'], 40_000);
    const share = flowing.filter((f) => f.length > 0).length / flowing.length;
    expect(share).toBeGreaterThan(0);
    expect(share).toBeLessThanOrEqual((STILL_FRAME_FLOW_MS + 100) / STILL_FRAME_EVERY_MS);
  });

  it('stops at once: nothing flows after data saving is turned off', () => {
    const changed = vi.fn();
    const stills = new StillFrames(() => ['video-0', 'video-1'], changed);
    stills.start();
    vi.advanceTimersByTime(STILL_FRAME_FLOW_MS + 10);
    expect(stills.refreshing('video-0')).toBe(true);
    stills.stop();
    expect(stills.refreshing('video-0')).toBe(false);
    const calls = changed.mock.calls.length;
    vi.advanceTimersByTime(60_000);
    expect(changed.mock.calls.length).toBe(calls);
    expect(['video-0', 'video-1'].some((id) => stills.refreshing(id))).toBe(false);
  });
});
