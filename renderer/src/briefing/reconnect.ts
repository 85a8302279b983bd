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

export async function keepReconnecting(tryOnce: () => Promise<void>, policy: ReconnectPolicy): Promise<ReconnectOutcome> {
  const delay = policy.delayMs ?? RECONNECT_DELAY_MS;
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; policy.stillWanted(); attempt++) {
    try {
      await tryOnce();
      return { kind: 'connected', attempts: attempt };
    } catch (error) {
      if (policy.isFinal(error)) return { kind: 'refused', error };
      await sleep(delay(attempt));
    }
  }
  return { kind: 'stopped' };
}
