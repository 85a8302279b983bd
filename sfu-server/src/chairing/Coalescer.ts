// Many changes, one announcement: the briefing's state goes out whole, so a storm of changes
// (200 points joining or voting) must not become a storm of snapshots.

/** How often at most the whole state goes out: each snapshot carries every seat, so a briefing
 * of 200 points sending one every 150 ms during a join storm kept 200 links busy with 70 KB
 * each (several Mbit/s per commune, more than a 3G link carries) and its server and test
 * clients too busy to answer pings. Scales with the points present, from 150 ms to 1 s. */
export function announceEveryMs(pointsPresent: number): number {
  return Math.min(1000, Math.max(150, pointsPresent * 5));
}

/** Runs `announce` at most once every `everyMs()`: a change after a quiet spell goes out at once
 * (the chair's click shows now), the changes of a storm together at the end of the interval. */
export class Coalescer {
  private pending = false;
  private last = 0;

  constructor(
    private readonly everyMs: () => number,
    private readonly announce: () => void,
  ) {}

  poke(): void {
    if (this.pending) return;
    this.pending = true;
    const wait = Math.max(0, this.last + this.everyMs() - performance.now());
    setTimeout(() => {
      this.pending = false;
      this.last = performance.now();
      this.announce();
    }, wait).unref();
  }
}
