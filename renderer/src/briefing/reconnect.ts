// How a meeting point comes back after its link or the server went away: try again and again,
// briefly apart, so it is back within seconds of the link returning; stop when the operator left
// or the server refused for a reason trying again will not change (a withdrawn code, a lock).

export type ReconnectOutcome = { kind: 'connected'; attempts: number } | { kind: 'stopped' } | { kind: 'refused'; error: unknown };

export interface ReconnectPolicy {
  /** False once the operator left: stop trying. */
  stillWanted: () => boolean;
  /** An error no retry will cure. */
  isFinal: (error: unknown) => boolean;
  /** Wait before try `n` (1-based) after a failure. */
  delayMs?: (n: number) => number;
  sleep?: (ms: number) => Promise<void>;
}

export const RECONNECT_DELAY_MS = (n: number) => Math.min(500, 100 * n);

/** Tries given the short time: about the first half minute of a cut. */
const QUICK_TRIES = 8;

/** How long try `n` may take to open its connection. The first tries are short, so a try whose
 * SYN went into a cut is dropped for a fresh one instead of waiting out TCP's back-off. Longer
 * cuts meet Chromium's WebSocket throttle: once many of a page's new connections failed in the
 * last 2 to 4 minutes, it holds each new one back by up to 5 s before it is even started, and a
 * try given up while held back counts as one more failure. With 2.5 s a commune cut for two
 * minutes gave up most tries before they began and stayed away for 10 s or more after its link
 * returned; a longer try outlasts the hold, and fewer tries keep the count (and the hold) down. */
export const TRY_TIMEOUT_MS = (n: number) => (n <= QUICK_TRIES ? 2500 : 6500);

export async function keepReconnecting(tryOnce: (attempt: number) => Promise<void>, policy: ReconnectPolicy): Promise<ReconnectOutcome> {
  const delay = policy.delayMs ?? RECONNECT_DELAY_MS;
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; policy.stillWanted(); attempt++) {
    try {
      await tryOnce(attempt);
      return { kind: 'connected', attempts: attempt };
    } catch (error) {
      if (policy.isFinal(error)) return { kind: 'refused', error };
      await sleep(delay(attempt));
    }
  }
  return { kind: 'stopped' };
}
