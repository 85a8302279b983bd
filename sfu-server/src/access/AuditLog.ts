// Every admission, refusal, role change and publish, kept on the server: who did what to whom,
// when. A refused or forged credential is written here too, so an operator can see attempts.
// The log is a hash chain: each row carries the SHA-256 of the row before and of itself, so a
// row changed or removed afterwards shows up in `npm run sfu -- audit verify`. Its growth is
// bounded: past `maxRows` the oldest tenth goes, and an anchor keeps the last pruned hash so
// the chain still verifies from there.
import { createHash } from 'node:crypto';
import type { AuditEvent as AuditEventShape } from '../../protocol/catalog';
import type { Clock } from '../clock';
import type { SqliteStore } from '../../../lib/SqliteStore';

export type AuditAction =
  | 'published'
  | 'publish_refused'
  | 'joined'
  | 'join_refused'
  | 'lobby_waiting'
  | 'admitted'
  | 'refused'
  | 'locked'
  | 'unlocked'
  | 'role_changed'
  | 'floor_granted'
  | 'floor_revoked'
  | 'muted'
  | 'vote_opened'
  | 'vote_closed'
  | 'ended'
  | 'request_refused'
  | 'credential_refused'
  | 'credential_backoff'
  | 'assignments_tracked'
  | 'progress_reported'
  | 'points_enrolled'
  | 'enrolment_revoked';

export type AuditEvent = AuditEventShape & { action: AuditAction };

interface Row {
  id: number;
  at: string;
  briefing_code: string | null;
  actor: string;
  action: AuditAction;
  subject: string | null;
  detail: string | null;
  prev_hash: string | null;
  hash: string | null;
}

/** The chain's first link: what the first row's prev_hash is. */
const GENESIS = '0'.repeat(64);

function rowHash(prev: string, row: Omit<Row, 'id' | 'prev_hash' | 'hash'>): string {
  return createHash('sha256')
    .update(prev)
    .update(JSON.stringify([row.at, row.briefing_code, row.actor, row.action, row.subject, row.detail]))
    .digest('hex');
}

export type ChainCheck = { ok: true; rows: number; head: string } | { ok: false; rows: number; brokenAt: number; reason: string };

export class AuditLog {
  /** Writes go one after another: each row's hash depends on the one before. */
  private tail: Promise<unknown> = Promise.resolve();
  private lastHash: string | undefined;
  private rowsSincePruneCheck = 0;

  constructor(
    private readonly db: SqliteStore,
    private readonly now: Clock,
    private readonly maxRows = 200_000,
  ) {}

  /** Never throws: a failing audit write is reported on the console, the briefing goes on. */
  write(event: Omit<AuditEvent, 'at'>): Promise<void> {
    const written = this.tail.then(() => this.append(event)).catch((error: unknown) => console.error('[sfu] could not write the audit log:', error instanceof Error ? error.message : error));
    this.tail = written;
    return written;
  }

  private async append(event: Omit<AuditEvent, 'at'>): Promise<void> {
    this.lastHash ??= await this.head();
    const row = { at: this.now().toISOString(), briefing_code: event.briefingCode, actor: event.actor, action: event.action, subject: event.subject, detail: event.detail };
    const hash = rowHash(this.lastHash, row);
    await this.db.run('INSERT INTO audit_event (at, briefing_code, actor, action, subject, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      row.at,
      row.briefing_code,
      row.actor,
      row.action,
      row.subject,
      row.detail,
      this.lastHash,
      hash,
    ]);
    this.lastHash = hash;
    if (++this.rowsSincePruneCheck >= Math.max(1, Math.floor(this.maxRows / 20))) {
      this.rowsSincePruneCheck = 0;
      await this.prune();
    }
  }

  /** The newest row's hash, sealing rows written before the log was a chain on the way. */
  private async head(): Promise<string> {
    const unsealed = await this.db.all<Row>('SELECT * FROM audit_event WHERE hash IS NULL AND id <= (SELECT through FROM audit_legacy) ORDER BY id');
    let prev = (await this.db.get<{ hash: string }>('SELECT hash FROM audit_event WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1'))?.hash ?? (await this.anchor())?.hash ?? GENESIS;
    for (const row of unsealed) {
      const hash = rowHash(prev, row);
      await this.db.run('UPDATE audit_event SET prev_hash = ?, hash = ? WHERE id = ?', [prev, hash, row.id]);
      prev = hash;
    }
    return prev;
  }

  private anchor(): Promise<{ pruned_through: number; hash: string } | undefined> {
    return this.db.get('SELECT pruned_through, hash FROM audit_anchor WHERE id = 1');
  }

  /** Past maxRows, the oldest tenth goes; the anchor keeps where the chain now starts. */
  private async prune(): Promise<void> {
    const count = (await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM audit_event'))?.n ?? 0;
    if (count <= this.maxRows) return;
    const cut = await this.db.get<{ id: number; hash: string }>('SELECT id, hash FROM audit_event ORDER BY id LIMIT 1 OFFSET ?', [count - Math.floor(this.maxRows * 0.9) - 1]);
    if (!cut) return;
    // One exec: the delete and the new anchor land together or not at all.
    await this.db.exec(
      `BEGIN; DELETE FROM audit_event WHERE id <= ${cut.id};
       INSERT INTO audit_anchor (id, pruned_through, hash, pruned_at) VALUES (1, ${cut.id}, '${cut.hash.replace(/[^0-9a-f]/g, '')}', '${this.now().toISOString()}')
         ON CONFLICT (id) DO UPDATE SET pruned_through = excluded.pruned_through, hash = excluded.hash, pruned_at = excluded.pruned_at;
       COMMIT;`,
    );
  }

  /** Walks the whole chain from its anchor: the first row whose links do not hold is named. */
  async verify(): Promise<ChainCheck> {
    await this.tail;
    const anchor = await this.anchor();
    let prev = anchor?.hash ?? GENESIS;
    let lastId = anchor?.pruned_through ?? 0;
    let rows = 0;
    for (;;) {
      const batch = await this.db.all<Row>('SELECT * FROM audit_event WHERE id > ? ORDER BY id LIMIT 5000', [lastId]);
      if (!batch.length) return { ok: true, rows, head: prev };
      for (const row of batch) {
        if (row.hash === null) return { ok: false, rows, brokenAt: row.id, reason: 'a row without a hash was added behind the server' };
        if (row.prev_hash !== prev) return { ok: false, rows, brokenAt: row.id, reason: 'the row before it was removed or changed' };
        if (rowHash(prev, row) !== row.hash) return { ok: false, rows, brokenAt: row.id, reason: 'this row was changed after it was written' };
        prev = row.hash;
        lastId = row.id;
        rows++;
      }
    }
  }

  /** The seats that joined the briefing at least once (its attendance, as the server saw it). */
  async seatsThatJoined(briefingCode: string): Promise<Set<string>> {
    await this.tail;
    const rows = await this.db.all<{ subject: string }>(
      "SELECT DISTINCT subject FROM audit_event WHERE briefing_code = ? AND action = 'joined' AND subject IS NOT NULL",
      [briefingCode],
    );
    return new Set(rows.map((r) => r.subject));
  }

  /** Every row of one briefing, the writes already asked for included. */
  async forBriefing(briefingCode: string): Promise<AuditEvent[]> {
    await this.tail;
    const rows = await this.db.all<Row>('SELECT * FROM audit_event WHERE briefing_code = ? ORDER BY id', [briefingCode]);
    return rows.map((r) => ({ at: r.at, briefingCode: r.briefing_code, actor: r.actor, action: r.action, subject: r.subject, detail: r.detail }));
  }
}
