// How often one client may do a thing: `perSecond` on average, with bursts up to `burst`.
// Time comes from a monotonic source, so a clock moved by an operator or NTP changes nothing.
import { performance } from 'node:perf_hooks';

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly monotonicMs: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = monotonicMs();
  }

  /** Takes one token; false when none is left. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Whether the bucket has refilled to its burst: as good as a new one. */
  isFull(): boolean {
    this.refill();
    return this.tokens >= this.burst;
  }

  private refill(): void {
    const now = this.monotonicMs();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
  }
}
