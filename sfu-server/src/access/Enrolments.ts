// Meeting points enrolled once with an organizer. A point's enrolment code is long-lived (the
// weekly briefing reaches the point with no new code), kept only as its SHA-256 like every key,
// and revocable. Presented to the server, it opens the point's seat in each briefing of that
// organizer inviting it, through an invite code derived from it for that briefing: the same code
// every time (so asking again adds nothing), unknowable without the enrolment code, and revoked
// with the enrolment.
import { createHmac } from 'node:crypto';
import { ENROLMENT_PREFIX, pointKey } from '../../protocol/enrolment';
import type { SqliteStore } from '../../../lib/SqliteStore';
import type { Clock } from '../clock';
import { codeHash, normalizeCode, randomCode } from './Invitations';

export interface Enrolled {
  tokenHash: string;
  organizerId: number;
  point: string;
  pointKey: string;
}

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export { pointKey };

/** The invite code an enrolment opens in one briefing: HMAC-SHA256 keyed by the enrolment code,
 * as 20 base32 characters (100 bits) grouped by 4, like an issued invite code. */
export function derivedInviteCode(enrolmentCode: string, briefingCode: string): string {
  const mac = createHmac('sha256', normalizeCode(enrolmentCode)).update(`giaoban-invite\n${briefingCode}`).digest();
  const chars = [...mac.subarray(0, 20)].map((b) => ALPHABET[b & 31]).join('');
  return (chars.match(/.{4}/g) ?? []).join('-');
}

export class Enrolments {
  constructor(
    private readonly db: SqliteStore,
    private readonly now: Clock,
  ) {}

  /** Enrols points (names as the directory has them); points enrolled already keep their code
   * unless `renew`, which withdraws the old one and every invite code it opened. */
  async enrol(organizerId: number, points: string[], renew: boolean): Promise<{ issued: { point: string; code: string }[]; already: string[] }> {
    const issued: { point: string; code: string }[] = [];
    const already: string[] = [];
    const at = this.now().toISOString();
    const seen = new Set<string>();
    for (const point of points.map((p) => p.normalize('NFC').trim())) {
      const key = pointKey(point);
      if (seen.has(key)) continue;
      seen.add(key);
      const active = await this.db.get<{ token_hash: string }>('SELECT token_hash FROM enrolment WHERE organizer_id = ? AND point_key = ? AND revoked_at IS NULL', [organizerId, key]);
      if (active && !renew) {
        already.push(point);
        continue;
      }
      if (active) await this.withdraw(active.token_hash, at);
      const code = `${ENROLMENT_PREFIX}${randomCode(24)}`;
      await this.db.run('INSERT INTO enrolment (token_hash, organizer_id, point_key, point, issued_at) VALUES (?, ?, ?, ?, ?)', [codeHash(code), organizerId, key, point, at]);
      issued.push({ point, code });
    }
    return { issued, already };
  }

  async list(organizerId: number): Promise<{ point: string; enrolledAt: string }[]> {
    return this.db.all('SELECT point, issued_at AS enrolledAt FROM enrolment WHERE organizer_id = ? AND revoked_at IS NULL ORDER BY point', [organizerId]);
  }

  /** Withdraws a point's enrolment and the invite codes it opened. */
  async revoke(organizerId: number, point: string): Promise<boolean> {
    const active = await this.db.get<{ token_hash: string }>('SELECT token_hash FROM enrolment WHERE organizer_id = ? AND point_key = ? AND revoked_at IS NULL', [organizerId, pointKey(point)]);
    if (!active) return false;
    await this.withdraw(active.token_hash, this.now().toISOString());
    return true;
  }

  private async withdraw(tokenHash: string, at: string): Promise<void> {
    await this.db.run('UPDATE enrolment SET revoked_at = ? WHERE token_hash = ?', [at, tokenHash]);
    await this.db.run('UPDATE credential SET revoked_at = ? WHERE enrolment = ? AND revoked_at IS NULL', [at, tokenHash]);
  }

  /** The enrolment a code is; `withdrawn` for one this server revoked; null if unknown. */
  async lookup(code: string): Promise<Enrolled | 'withdrawn' | null> {
    if (!normalizeCode(code).startsWith(normalizeCode(ENROLMENT_PREFIX))) return null;
    const row = await this.db.get<{ token_hash: string; organizer_id: number; point: string; point_key: string; revoked_at: string | null }>(
      'SELECT token_hash, organizer_id, point, point_key, revoked_at FROM enrolment WHERE token_hash = ?',
      [codeHash(code)],
    );
    if (!row) return null;
    return row.revoked_at ? 'withdrawn' : { tokenHash: row.token_hash, organizerId: row.organizer_id, point: row.point, pointKey: row.point_key };
  }

  /** Makes the enrolment's invite code valid for this seat (again, if a new version of the
   * briefing had dropped the point and a later one invites it back). */
  async openSeat(enrolled: Enrolled, enrolmentCode: string, briefingCode: string, seat: string): Promise<string> {
    const code = derivedInviteCode(enrolmentCode, briefingCode);
    await this.db.run(
      `INSERT INTO credential (token_hash, briefing_code, seat, role, issued_at, enrolment) VALUES (?, ?, ?, 'point', ?, ?)
       ON CONFLICT (token_hash) DO UPDATE SET seat = excluded.seat, revoked_at = NULL`,
      [codeHash(code), briefingCode, seat, this.now().toISOString(), enrolled.tokenHash],
    );
    return code;
  }
}
