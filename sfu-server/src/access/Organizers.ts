// Organizer accounts: the host units (a province office, a commune office, a department) that
// may publish briefings and upload documents on this server. The operator creates one on the
// server's console; its key is printed once and only its SHA-256 is kept, like invite codes.
import type { Clock } from '../clock';
import type { SqliteStore } from '../../../lib/SqliteStore';
import { codeHash, randomCode } from './Invitations';

export interface Organizer {
  id: number;
  name: string;
  createdAt: string;
  revokedAt: string | null;
}

/** `GBTC-` and 32 characters of base32 (160 bits), grouped by 4. The prefix tells an operator
 * at a glance that this is an organizer key, not a meeting point's invite code. */
function newOrganizerKey(): string {
  return `GBTC-${randomCode(32)}`;
}

export class Organizers {
  constructor(
    private readonly db: SqliteStore,
    private readonly now: Clock,
  ) {}

  /** Creates an organizer; the key is returned this once and never stored. */
  async add(name: string): Promise<Organizer & { key: string }> {
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 200) throw new Error('an organizer needs a name of 1 to 200 characters');
    const key = newOrganizerKey();
    const createdAt = this.now().toISOString();
    const { lastID } = await this.db.run('INSERT INTO organizer (name, key_hash, created_at) VALUES (?, ?, ?)', [trimmed, codeHash(key), createdAt]);
    return { id: lastID, name: trimmed, createdAt, revokedAt: null, key };
  }

  async list(): Promise<Organizer[]> {
    return this.db.all<Organizer>('SELECT id, name, created_at AS createdAt, revoked_at AS revokedAt FROM organizer ORDER BY id');
  }

  /** Revokes a key: the organizer can no longer publish or read; its briefings stay. */
  async revoke(id: number): Promise<boolean> {
    const { changes } = await this.db.run('UPDATE organizer SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [this.now().toISOString(), id]);
    return changes > 0;
  }

  /** The organizer a key belongs to; `withdrawn` for a key this server revoked; null if unknown. */
  async verify(key: string): Promise<Organizer | 'withdrawn' | null> {
    const row = await this.db.get<Organizer>('SELECT id, name, created_at AS createdAt, revoked_at AS revokedAt FROM organizer WHERE key_hash = ?', [codeHash(key)]);
    if (!row) return null;
    return row.revokedAt ? 'withdrawn' : row;
  }

  async nameOf(id: number): Promise<string | null> {
    return (await this.db.get<{ name: string }>('SELECT name FROM organizer WHERE id = ?', [id]))?.name ?? null;
  }

  async ownerOf(briefingCode: string): Promise<number | null> {
    return (await this.db.get<{ organizer_id: number }>('SELECT organizer_id FROM briefing_owner WHERE code = ?', [briefingCode]))?.organizer_id ?? null;
  }

  async claim(briefingCode: string, organizerId: number): Promise<void> {
    await this.db.run('INSERT OR IGNORE INTO briefing_owner (code, organizer_id) VALUES (?, ?)', [briefingCode, organizerId]);
  }

  async ownedBy(organizerId: number): Promise<string[]> {
    return (await this.db.all<{ code: string }>('SELECT code FROM briefing_owner WHERE organizer_id = ?', [organizerId])).map((r) => r.code);
  }

  async uploaded(sha256: string, organizerId: number): Promise<void> {
    await this.db.run('INSERT OR IGNORE INTO document_owner (sha256, organizer_id) VALUES (?, ?)', [sha256, organizerId]);
  }

  async mayRead(sha256: string, organizerId: number): Promise<boolean> {
    const row = await this.db.get(
      `SELECT 1 FROM document_owner WHERE sha256 = ? AND organizer_id = ?
       UNION SELECT 1 FROM briefing_owner o JOIN briefing_version b ON b.code = o.code,
         json_each(b.body, '$.agenda') a, json_each(a.value, '$.documents') d
       WHERE o.organizer_id = ? AND json_extract(d.value, '$.sha256') = ?
       UNION SELECT 1 FROM briefing_owner o JOIN record r ON r.briefing_code = o.code WHERE o.organizer_id = ? AND r.sha256 = ?
       LIMIT 1`,
      [sha256, organizerId, organizerId, sha256, organizerId, sha256],
    );
    return row !== undefined;
  }
}
