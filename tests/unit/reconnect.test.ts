// The meeting point's way back after a broken link: retried briefly apart until it works, given
// up at once for a refusal no retry cures, stopped when the operator leaves.
import { describe, expect, it } from 'vitest';
import { RECONNECT_DELAY_MS, TRY_TIMEOUT_MS, keepReconnecting } from '../../renderer/src/briefing/reconnect';
import { SignalingError } from '../../renderer/src/briefing/SignalingClient';

const isFinal = (e: unknown) => e instanceof SignalingError && ['bad_credential', 'forbidden'].includes(e.code);

describe('reconnection', () => {
  it('tries again until the link is back, never waiting more than half a second between tries', async () => {
    const waits: number[] = [];
    let calls = 0;
    const outcome = await keepReconnecting(
      async () => {
        if (++calls < 8) throw new SignalingError('unreachable', 'no route');
      },
      { stillWanted: () => true, isFinal, sleep: async (ms) => void waits.push(ms) },
    );
    expect(outcome).toEqual({ kind: 'connected', attempts: 8 });
    expect(waits).toEqual([100, 200, 300, 400, 500, 500, 500]);
    expect(Math.max(...Array.from({ length: 50 }, (_, i) => RECONNECT_DELAY_MS(i + 1)))).toBe(500);
  });

  it('gives a long cut tries that outlast Chromium holding back a page whose connections kept failing', async () => {
    // Chromium delays each new WebSocket of such a page by up to 5 s before it starts: a try must
    // last longer than that and a TLS handshake, or every try is given up before it begins.
    const given: number[] = [];
    let calls = 0;
    await keepReconnecting(
      async (attempt) => {
        given.push(TRY_TIMEOUT_MS(attempt));
        if (++calls < 40) throw new SignalingError('unreachable', 'no answer');
      },
      { stillWanted: () => true, isFinal, sleep: async () => undefined },
    );
    // A short cut is retried quickly, a try whose SYN went into the cut dropped for a fresh one…
    expect(given.slice(0, 8).every((ms) => ms <= 2500)).toBe(true);
    // …and after half a minute of cut every try outlasts the hold.
    expect(given.slice(10).every((ms) => ms >= 6000)).toBe(true);
  });

  it('gives up at once when the server refuses the code, and stops when the operator leaves', async () => {
    let calls = 0;
    const refused = await keepReconnecting(
      async () => {
        calls++;
        throw new SignalingError('bad_credential', 'this invite code was withdrawn');
      },
      { stillWanted: () => true, isFinal, sleep: async () => undefined },
    );
    expect(refused.kind).toBe('refused');
    expect(calls).toBe(1);

    let wanted = true;
    let tries = 0;
    const stopped = await keepReconnecting(
      async () => {
        if (++tries === 3) wanted = false;
        throw new SignalingError('closed', 'connection to server lost');
      },
      { stillWanted: () => wanted, isFinal, sleep: async () => undefined },
    );
    expect(stopped).toEqual({ kind: 'stopped' });
    expect(tries).toBe(3);
  });
});
