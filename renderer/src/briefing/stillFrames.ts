// Saving data, the thumbnails are still frames: each in turn flows for a moment, long enough for a
// fresh key frame, then is paused again. One at a time: behind a 256 kbps link the key frames of a
// whole page of thumbnails refreshed together (about 30 KB) overfilled the link's queue for a
// second, and the chair's sound, queued behind them, was cut.

/** How often each thumbnail is refreshed (at least; a full page takes a little longer). */
export const STILL_FRAME_EVERY_MS = 10_000;
/** How long one thumbnail flows for its refresh: its key frame asked for, sent and through. */
export const STILL_FRAME_FLOW_MS = 1500;

/** The wait from one thumbnail's refresh to the next one's, for this many thumbnails: they share
 * the period, never flowing two at once. */
export function stillFrameStepMs(thumbnails: number): number {
  return Math.max(STILL_FRAME_FLOW_MS, STILL_FRAME_EVERY_MS / Math.max(1, thumbnails));
}

export class StillFrames {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private turn = 0;
  /** The thumbnail flowing for its refresh now, if any. */
  private current: string | null = null;

  constructor(
    /** The videos shown as thumbnails now, in a stable order. */
    private readonly thumbnails: () => string[],
    /** Called when the refreshing thumbnail changes: the videos are placed again. */
    private readonly changed: () => void,
  ) {}

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Whether this video flows now for its refresh. */
  refreshing(videoId: string): boolean {
    return this.current === videoId;
  }

  start(): void {
    if (this.running) return;
    this.schedule(STILL_FRAME_FLOW_MS);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.current === null) return;
    this.current = null;
    this.changed();
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => this.step(), ms);
  }

  private step(): void {
    const shown = this.thumbnails();
    if (shown.length === 0) {
      this.schedule(STILL_FRAME_EVERY_MS);
      return;
    }
    const video = shown[this.turn++ % shown.length];
    this.current = video;
    this.changed();
    this.timer = setTimeout(() => {
      if (this.current === video) {
        this.current = null;
        this.changed();
      }
      this.schedule(stillFrameStepMs(shown.length) - STILL_FRAME_FLOW_MS);
    }, STILL_FRAME_FLOW_MS);
  }
}
