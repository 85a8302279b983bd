// The meeting point's way back after a broken link: retried briefly apart until it works, given
// up at once for a refusal no retry cures, stopped when the operator leaves.
import { describe, expect, it } from 'vitest';
import { RECONNECT_DELAY_MS, keepReconnecting } from '../../renderer/src/briefing/reconnect';
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
