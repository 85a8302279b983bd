// Invite codes: one per seat of a briefing (the chair, the secretary, every invited meeting
// point), issued when the briefing is first published and whenever a point is added. Only the
// SHA-256 of a code is stored: the codes carry 100 random bits, so a plain hash cannot be
// reversed by guessing, and a stolen database lets no one in.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '../../protocol';
import type { Clock } from '../clock';
import type { SqliteStore } from '../../../lib/SqliteStore';

/** Crockford's base32: no I, L, O or U, so a code read out over the phone is not misheard. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export interface IssuedCredential {
  seat: string;
  role: Role;
  code: string;
}

export interface Seat {
  briefingCode: string;
  seat: string;
  role: Role;
}

/** Why a code was refused: for the audit log and the error the caller gets. */
export type CredentialProblem = 'unknown' | 'revoked' | 'other_briefing';

/** `length` random characters of base32 (5 bits each), grouped by 4: `7K3Q-…`. */
export function randomCode(length: number): string {
  const chars = [...randomBytes(length)].map((b) => ALPHABET[b & 31]).join('');
  return (chars.match(/.{1,4}/g) ?? []).join('-');
}

/** 20 characters (100 bits). */
export function newInviteCode(): string {
  return randomCode(20);
}

/** Case, spaces and dashes do not matter, and the look-alikes O/I/L read as 0/1/1. */
export function normalizeCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** What is stored of a code or key: its SHA-256, after normalizing. */
export function codeHash(code: string): string {
  return createHash('sha256').update(normalizeCode(code)).digest('hex');
}

export class Invitations {
  constructor(
    private readonly db: SqliteStore,
    private readonly now: Clock,
  ) {}

  /** Issues codes for the seats that have none yet and revokes those of seats no longer
   * invited; returns only the new codes (the old ones were handed out already). */
  async issueFor(briefingCode: string, seats: { seat: string; role: Role }[]): Promise<IssuedCredential[]> {
    const existing = await this.db.all<{ seat: string; role: Role }>(
      'SELECT seat, role FROM credential WHERE briefing_code = ? AND revoked_at IS NULL',
      [briefingCode],
    );
    const have = new Set(existing.map((e) => `${e.role}\n${e.seat}`));
    const wanted = new Set(seats.map((s) => `${s.role}\n${s.seat}`));
    const at = this.now().toISOString();
    for (const gone of existing.filter((e) => !wanted.has(`${e.role}\n${e.seat}`))) {
      await this.db.run('UPDATE credential SET revoked_at = ? WHERE briefing_code = ? AND seat = ? AND role = ? AND revoked_at IS NULL', [
        at,
        briefingCode,
        gone.seat,
        gone.role,
      ]);
    }
    const issued: IssuedCredential[] = [];
    for (const seat of seats.filter((s) => !have.has(`${s.role}\n${s.seat}`))) {
      const code = newInviteCode();
      await this.db.run('INSERT INTO credential (token_hash, briefing_code, seat, role, issued_at) VALUES (?, ?, ?, ?, ?)', [
        codeHash(code),
        briefingCode,
        seat.seat,
        seat.role,
        at,
      ]);
      issued.push({ ...seat, code });
    }
    return issued;
  }

  /** The seat a code opens in this briefing, or why it opens none. */
  async verify(briefingCode: string, code: string): Promise<Seat | { problem: CredentialProblem }> {
    const digest = codeHash(code);
    const row = await this.db.get<{ token_hash: string; briefing_code: string; seat: string; role: Role; revoked_at: string | null }>(
      'SELECT token_hash, briefing_code, seat, role, revoked_at FROM credential WHERE token_hash = ?',
      [digest],
    );
    // The lookup is by hash already; the constant-time compare keeps it so if the index is not.
    if (!row || !timingSafeEqual(Buffer.from(row.token_hash, 'hex'), Buffer.from(digest, 'hex'))) return { problem: 'unknown' };
    if (row.revoked_at) return { problem: 'revoked' };
    if (row.briefing_code !== briefingCode) return { problem: 'other_briefing' };
    return { briefingCode, seat: row.seat, role: row.role };
  }

  /** The seat a code opens, in whichever briefing it was issued for; `withdrawn` for a code this
   * server issued and revoked (a real code, not a guess); null if it never issued it. */
  async lookup(code: string): Promise<Seat | 'withdrawn' | null> {
    const row = await this.db.get<{ briefing_code: string; seat: string; role: Role; revoked_at: string | null }>(
      'SELECT briefing_code, seat, role, revoked_at FROM credential WHERE token_hash = ?',
      [codeHash(code)],
    );
    if (!row) return null;
    return row.revoked_at ? 'withdrawn' : { briefingCode: row.briefing_code, seat: row.seat, role: row.role };
  }
}
