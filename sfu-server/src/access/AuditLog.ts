// Every admission, refusal, role change and publish, kept on the server: who did what to whom,
// when. A refused or forged credential is written here too, so an operator can see attempts.
import type { Clock } from '../clock';
import type { SqliteStore } from '../db/SqliteStore';

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
  | 'request_refused'
  | 'credential_refused'
  | 'credential_backoff';

export interface AuditEvent {
  at: string;
  briefingCode: string | null;
  actor: string;
  action: AuditAction;
  subject: string | null;
  detail: string | null;
}

export class AuditLog {
  constructor(
    private readonly db: SqliteStore,
    private readonly now: Clock,
  ) {}

  /** Never throws: a failing audit write is reported on the console, the briefing goes on. */
  async write(event: Omit<AuditEvent, 'at'>): Promise<void> {
    await this.db
      .run('INSERT INTO audit_event (at, briefing_code, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?, ?)', [
        this.now().toISOString(),
        event.briefingCode,
        event.actor,
        event.action,
        event.subject,
        event.detail,
      ])
      .catch((error: Error) => console.error('[sfu] could not write the audit log:', error.message));
  }

  /** The seats that joined the briefing at least once (its attendance, as the server saw it). */
  async seatsThatJoined(briefingCode: string): Promise<Set<string>> {
    const rows = await this.db.all<{ subject: string }>(
      "SELECT DISTINCT subject FROM audit_event WHERE briefing_code = ? AND action = 'joined' AND subject IS NOT NULL",
      [briefingCode],
    );
    return new Set(rows.map((r) => r.subject));
  }

  async forBriefing(briefingCode: string): Promise<AuditEvent[]> {
    const rows = await this.db.all<{ at: string; briefing_code: string | null; actor: string; action: AuditAction; subject: string | null; detail: string | null }>(
      'SELECT at, briefing_code, actor, action, subject, detail FROM audit_event WHERE briefing_code = ? ORDER BY id',
      [briefingCode],
    );
    return rows.map((r) => ({ at: r.at, briefingCode: r.briefing_code, actor: r.actor, action: r.action, subject: r.subject, detail: r.detail }));
  }
}
