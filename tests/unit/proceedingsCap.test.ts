// A chair who moves between agenda items all day: every control snapshot still carries the item
// times, and still within what the app accepts (an oversized snapshot would be refused by every
// point's validation, and the briefing would stop updating).
import { describe, expect, it } from 'vitest';
import { ControlState } from '../../sfu-server/protocol';
import { Proceedings } from '../../sfu-server/src/chairing/Proceedings';

describe('item times over a long briefing', () => {
  it('keep the newest moves within what a snapshot may carry', () => {
    const proceedings = new Proceedings();
    const start = Date.parse('2026-12-02T01:00:00Z');
    for (let move = 0; move < 1200; move++) proceedings.moveTo(move % 7, new Date(start + move * 1000).toISOString());
    const times = proceedings.itemTimes;
    expect(ControlState.shape.agendaTimes.safeParse(times).success).toBe(true);
    // The newest move is the open item; the one before it ended when it began.
    expect(times.at(-1)).toMatchObject({ index: 1199 % 7, endedAt: null, startedAt: new Date(start + 1199_000).toISOString() });
    expect(times.at(-2)?.endedAt).toBe(new Date(start + 1199_000).toISOString());
  });
});
