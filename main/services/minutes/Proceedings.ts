// The briefing as its server tells it (seats with when each joined and left and why one was
// absent, and when each agenda item began and ended), kept on this PC for the minutes. The
// server's Briefing owns these facts; the desktop only keeps its latest account, handed over by
// the signaling session whatever screen is open, so a restarted app gets it all back with the
// first snapshot after it rejoins, and the minutes are right without the editor ever opened.
import type { z } from 'zod';
import { ProceedingsAccount } from '../../api/contract';
import type { Store } from '../store/Store';
import type { Attendance, Minutes } from './model';

export class ProceedingsRecord {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
  ) {}

  async keep(input: z.input<typeof ProceedingsAccount>): Promise<void> {
    const account = ProceedingsAccount.parse(input);
    await this.store.run(
      `INSERT INTO proceedings (briefing_code, account, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (briefing_code) DO UPDATE SET account = excluded.account, updated_at = excluded.updated_at`,
      [account.briefingCode, JSON.stringify(account), this.now().toISOString()],
    );
  }

  async latest(briefingCode: string): Promise<ProceedingsAccount | null> {
    const row = await this.store.get<{ account: string }>('SELECT account FROM proceedings WHERE briefing_code = ?', [briefingCode]);
    if (!row) return null;
    const parsed = ProceedingsAccount.safeParse(JSON.parse(row.account));
    return parsed.success ? parsed.data : null;
  }
}

/** Attendance from the server's account: invited points in the invitation's order, then points
 * let in from the lobby; in the chair's room (this PC's own seats), online, or absent. What the
 * secretary typed (who attended at each point, an absence reason) is kept. */
export function attendanceFromAccount(invited: string[], account: ProceedingsAccount, options: { inRoom: string[]; typed: Attendance[] }): Attendance[] {
  const points = account.seats.filter((s) => s.role !== 'chair' && s.role !== 'secretary');
  const bySeat = new Map(account.seats.map((s) => [s.seat, s]));
  const typed = new Map(options.typed.map((a) => [a.point, a]));
  const inRoom = new Set(options.inRoom);
  const names = [...new Set([...invited, ...points.map((s) => s.seat), ...options.inRoom])];
  return names.map((point): Attendance => {
    const seat = bySeat.get(point);
    const noted = typed.get(point);
    const officials = seat?.attendees.map((a) => [a.name, a.position, a.unit].filter(Boolean).join(', ')).join('; ') ?? '';
    const people = noted?.people || officials;
    const times = { joinedAt: seat?.joinedAt ?? null, leftAt: seat?.leftAt ?? null };
    // What the secretary corrected or left out stays so, whatever the server says after.
    const kept = { ...(noted?.corrected ? { corrected: true } : {}), ...(noted?.excluded ? { excluded: true } : {}) };
    if (noted?.corrected) return { point, status: noted.status, people, absenceReason: noted.absenceReason, ...times, ...kept };
    if (inRoom.has(point)) return { point, status: 'in_room', people, absenceReason: '', ...times, ...kept };
    if (seat?.joinedAt) return { point, status: 'online', people, absenceReason: '', ...times, ...kept };
    return { point, status: 'absent', people, absenceReason: noted?.absenceReason || seat?.absentReason || '', joinedAt: null, leftAt: null, ...kept };
  });
}

/** Each item's time from the server: first begun, last ended (an item may be taken up twice). */
export function withItemTimes(minutes: Minutes, account: ProceedingsAccount): Minutes {
  const items = minutes.items.map((item, index) => {
    const taken = account.agendaTimes.filter((t) => t.index === index);
    const [first, last] = [taken.at(0), taken.at(-1)];
    if (!first || !last) return item;
    return { ...item, startedAt: first.startedAt, endedAt: last.endedAt };
  });
  return { ...minutes, items, endedAt: account.endedAt };
}
