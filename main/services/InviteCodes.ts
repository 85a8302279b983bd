// Invite codes on this PC. Where a briefing was published (the district), the server's answer
// holds a code for every seat: the chair's own and one per meeting point to hand out. Where a
// point joins, the code its operator entered is kept, so the next join needs no typing.
import type { IssuedInvite } from '../../sfu-server/protocol/briefing';
import type { Store } from './store/Store';

export type InviteRole = IssuedInvite['role'];

/** How long after a briefing starts this PC keeps asking the server about it (its records). */
export const SYNC_DAYS_AFTER = 30;

export interface HeldInvite {
  seat: string;
  role: InviteRole;
  code: string;
  origin: 'issued' | 'entered';
}

export class InviteCodes {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Keeps the codes a publish issued, and forgets those of seats the new version no longer has
   * (the server withdrew them): the list to hand out never holds a dead code. */
  async keepIssued(briefingCode: string, issued: IssuedInvite[], seatsNow: string[]): Promise<void> {
    for (const invite of issued) await this.save(briefingCode, { ...invite, origin: 'issued' });
    for (const gone of (await this.rows(briefingCode)).filter((r) => r.origin === 'issued' && !seatsNow.includes(r.seat))) {
      await this.store.run("DELETE FROM invite_code WHERE briefing_code = ? AND seat = ? AND origin = 'issued'", [briefingCode, gone.seat]);
    }
  }

  /** The code the operator entered and the seat it opened. */
  async keepEntered(briefingCode: string, seat: string, role: InviteRole, code: string): Promise<void> {
    await this.store.run("DELETE FROM invite_code WHERE briefing_code = ? AND origin = 'entered'", [briefingCode]);
    await this.save(briefingCode, { seat, role, code, origin: 'entered' });
  }

  /** Every code issued here for a briefing, the chair's first, to hand out. */
  async issued(briefingCode: string): Promise<HeldInvite[]> {
    const rows = await this.rows(briefingCode);
    const order = { chair: 0, secretary: 1, presenter: 2, point: 3, relay: 4 };
    return rows.filter((r) => r.origin === 'issued').sort((a, b) => order[a.role] - order[b.role] || a.seat.localeCompare(b.seat, 'vi'));
  }

  /** The code this PC joins a briefing with: the one entered here, else the chair's, if this PC
   * published the briefing. */
  async forJoining(briefingCode: string): Promise<HeldInvite | null> {
    const rows = await this.rows(briefingCode);
    return rows.find((r) => r.origin === 'entered') ?? rows.find((r) => r.origin === 'issued' && r.role === 'chair') ?? null;
  }

  /** The chair's code, where this PC published the briefing or its chair entered it. */
  async chairCode(briefingCode: string): Promise<string | undefined> {
    return (await this.rows(briefingCode)).find((r) => r.role === 'chair')?.code;
  }

  /** The codes this PC reads the catalog with: those entered here and the chair's and secretary's
   * of briefings published here (not the points' codes it hands out), for briefings not long
   * past: records of a briefing arrive within days, so a code whose briefing began more than
   * SYNC_DAYS_AFTER ago is no longer asked with on every sync. */
  async forSync(): Promise<string[]> {
    const rows = await this.store.all<{ code: string; startsAt: string | null }>(
      `SELECT i.code, json_extract(b.body, '$.startsAt') AS startsAt FROM invite_code i LEFT JOIN briefing b ON b.code = i.briefing_code
       WHERE i.origin = 'entered' OR i.role IN ('chair', 'secretary')`,
    );
    const since = this.now().getTime() - SYNC_DAYS_AFTER * 24 * 3600_000;
    return rows.filter((r) => r.startsAt === null || Date.parse(r.startsAt) >= since).map((r) => r.code);
  }

  /** The codes the follow-up is read with, and the seat each opens: like `forSync`, but a point's
   * code only where it was entered here (the codes handed out are other points'). */
  async forFollowUp(): Promise<{ code: string; seat: string; role: InviteRole; serverUrl: string | null }[]> {
    const rows = await this.store.all<{ code: string; seat: string; role: InviteRole; serverUrl: string | null; startsAt: string | null }>(
      `SELECT i.code, i.seat, i.role, b.server_url AS serverUrl, json_extract(b.body, '$.startsAt') AS startsAt FROM invite_code i LEFT JOIN briefing b ON b.code = i.briefing_code
       WHERE i.origin = 'entered' OR i.role IN ('chair', 'secretary')`,
    );
    const since = this.now().getTime() - SYNC_DAYS_AFTER * 24 * 3600_000;
    return rows.filter((r) => r.startsAt === null || Date.parse(r.startsAt) >= since);
  }

  /** Forgets a code the operator entered that the server has withdrawn. */
  async forgetEntered(code: string): Promise<void> {
    await this.store.run("DELETE FROM invite_code WHERE code = ? AND origin = 'entered'", [code]);
  }

  /** A code that may publish or issue records for the briefing: the chair's, else the secretary's. */
  async authority(briefingCode: string): Promise<string | undefined> {
    const rows = await this.rows(briefingCode);
    return (rows.find((r) => r.role === 'chair') ?? rows.find((r) => r.role === 'secretary'))?.code;
  }

  private async rows(briefingCode: string): Promise<HeldInvite[]> {
    return this.store.all<HeldInvite>('SELECT seat, role, code, origin FROM invite_code WHERE briefing_code = ?', [briefingCode]);
  }

  private async save(briefingCode: string, invite: HeldInvite): Promise<void> {
    await this.store.run(
      `INSERT INTO invite_code (briefing_code, seat, role, code, origin, saved_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (briefing_code, seat, origin) DO UPDATE SET role = excluded.role, code = excluded.code, saved_at = excluded.saved_at`,
      [briefingCode, invite.seat, invite.role, invite.code, invite.origin, this.now().toISOString()],
    );
  }
}
