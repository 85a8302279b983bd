// The briefing catalog meeting points sync from: published briefings, every version kept,
// and the documents they carry (bytes in the BlobStore, facts here).
import path from 'node:path';
import {
  type BriefingDraft,
  type DocumentRef,
  PublishedBriefing,
  PublishedRecord,
  type RecordNotice,
  briefingDocuments,
  describeChanges,
} from '../../protocol/briefing';
import { type Migration, SqliteStore } from '../../../lib/SqliteStore';
import type { Clock } from '../clock';
import { BlobStore } from '../../../lib/BlobStore';

const migrations: Migration[] = [
  {
    version: 1,
    why: 'published briefings, every version, and the documents they carry',
    sql: `
      CREATE TABLE document (
        sha256 TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        mime_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        uploaded_at TEXT NOT NULL
      );
      CREATE TABLE briefing_version (
        code TEXT NOT NULL,
        version INTEGER NOT NULL,
        starts_at TEXT NOT NULL,
        published_at TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (code, version)
      );
    `,
  },
  {
    version: 2,
    why: 'signed minutes and conclusions notices, each addressed to the meeting points that attended',
    sql: `
      CREATE TABLE record (
        sha256 TEXT NOT NULL,
        briefing_code TEXT NOT NULL,
        kind TEXT NOT NULL,
        published_at TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (briefing_code, kind, sha256)
      );
      CREATE TABLE record_recipient (
        sha256 TEXT NOT NULL,
        point TEXT NOT NULL,
        PRIMARY KEY (sha256, point)
      );
    `,
  },
  {
    version: 3,
    why: 'invite codes (only their SHA-256 is kept) and the audit log of who was let in and what was published',
    sql: `
      CREATE TABLE credential (
        token_hash TEXT PRIMARY KEY,
        briefing_code TEXT NOT NULL,
        seat TEXT NOT NULL,
        role TEXT NOT NULL,
        issued_at TEXT NOT NULL,
        revoked_at TEXT
      );
      CREATE INDEX credential_seat ON credential (briefing_code, seat);
      CREATE TABLE audit_event (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        briefing_code TEXT,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT,
        detail TEXT
      );
      CREATE INDEX audit_event_briefing ON audit_event (briefing_code, id);
    `,
  },
  {
    version: 4,
    why: 'organizer accounts (host units; only the SHA-256 of a key is kept), which briefing each owns and which documents it uploaded',
    sql: `
      CREATE TABLE organizer (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        key_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        revoked_at TEXT
      );
      CREATE TABLE briefing_owner (
        code TEXT PRIMARY KEY,
        organizer_id INTEGER NOT NULL REFERENCES organizer (id)
      );
      CREATE TABLE document_owner (
        sha256 TEXT NOT NULL,
        organizer_id INTEGER NOT NULL REFERENCES organizer (id),
        PRIMARY KEY (sha256, organizer_id)
      );
    `,
  },
  {
    version: 5,
    why: 'the audit log as a hash chain (each row carries the hash of the one before), append-only, with an anchor where old rows were pruned',
    sql: `
      ALTER TABLE audit_event ADD COLUMN prev_hash TEXT;
      ALTER TABLE audit_event ADD COLUMN hash TEXT;
      CREATE TABLE audit_anchor (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        pruned_through INTEGER NOT NULL,
        hash TEXT NOT NULL,
        pruned_at TEXT NOT NULL
      );
      -- Rows written before the chain existed are sealed once, on the way; none added later is.
      CREATE TABLE audit_legacy (through INTEGER NOT NULL);
      INSERT INTO audit_legacy SELECT COALESCE(MAX(id), 0) FROM audit_event;
      CREATE TRIGGER audit_event_append_only BEFORE UPDATE ON audit_event
        WHEN OLD.hash IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    `,
  },
  {
    version: 6,
    why: 'assignments of signed minutes tracked until done, with the progress their assignees report',
    sql: `
      CREATE TABLE assignment (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        briefing_code TEXT NOT NULL,
        position INTEGER NOT NULL,
        series_key TEXT NOT NULL,
        assigned_at TEXT NOT NULL,
        body TEXT NOT NULL,
        point TEXT,
        done_at TEXT,
        UNIQUE (briefing_code, position)
      );
      CREATE INDEX assignment_series ON assignment (series_key, assigned_at);
      CREATE TABLE assignment_progress (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        assignment_id INTEGER NOT NULL REFERENCES assignment (id),
        body TEXT NOT NULL,
        document_sha256 TEXT
      );
      CREATE INDEX assignment_progress_of ON assignment_progress (assignment_id);
    `,
  },
  {
    version: 7,
    why: "meeting points enrolled once with an organizer; the invite codes their enrolment opened, revoked with it",
    sql: `
      CREATE TABLE enrolment (
        token_hash TEXT PRIMARY KEY,
        organizer_id INTEGER NOT NULL,
        point_key TEXT NOT NULL,
        point TEXT NOT NULL,
        issued_at TEXT NOT NULL,
        revoked_at TEXT
      );
      CREATE INDEX enrolment_point ON enrolment (organizer_id, point_key);
      ALTER TABLE credential ADD COLUMN enrolment TEXT;
    `,
  },
  {
    version: 8,
    why: 'a province server relays upper briefings to its communes (cascade): which, and with which relay code',
    sql: `
      CREATE TABLE cascade_link (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        local_briefing TEXT NOT NULL UNIQUE,
        upper_url TEXT NOT NULL,
        upper_briefing TEXT NOT NULL,
        invite_code TEXT NOT NULL,
        ca_fingerprint TEXT,
        created_at TEXT NOT NULL
      );
    `,
  },
];

export class CatalogError extends Error {
  constructor(
    readonly code: 'missing_documents' | 'not_found',
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

export class Catalog {
  private constructor(
    /** Shared with the invitations and the audit log, which live in the same file. */
    readonly db: SqliteStore,
    readonly blobs: BlobStore,
    private readonly now: Clock,
  ) {}

  static async open(dataDir: string, now: Clock): Promise<Catalog> {
    const db = await SqliteStore.open(path.join(dataDir, 'catalog.sqlite3'), migrations);
    return new Catalog(db, new BlobStore(path.join(dataDir, 'documents')), now);
  }

  async recordDocument(ref: DocumentRef): Promise<void> {
    await this.db.run(
      'INSERT OR IGNORE INTO document (sha256, name, mime_type, size, uploaded_at) VALUES (?, ?, ?, ?, ?)',
      [ref.sha256, ref.name, ref.mimeType, ref.size, this.now().toISOString()],
    );
  }

  async documentType(sha256: string): Promise<string | undefined> {
    const row = await this.db.get<{ mime_type: string }>('SELECT mime_type FROM document WHERE sha256 = ?', [sha256]);
    return row?.mime_type;
  }

  /** Publishes a new version. Every document must have been uploaded first. */
  async publish(draft: BriefingDraft): Promise<PublishedBriefing> {
    const missing = briefingDocuments(draft).filter((d) => !this.blobs.has(d.sha256));
    if (missing.length) {
      throw new CatalogError('missing_documents', 'upload the documents before publishing', missing.map((d) => d.name));
    }
    const previous = await this.latest(draft.code);
    const published: PublishedBriefing = PublishedBriefing.parse({
      ...draft,
      version: (previous?.version ?? 0) + 1,
      publishedAt: this.now().toISOString(),
      changes: previous ? describeChanges(previous, draft) : [],
    });
    await this.db.run(
      'INSERT INTO briefing_version (code, version, starts_at, published_at, body) VALUES (?, ?, ?, ?, ?)',
      [published.code, published.version, published.startsAt, published.publishedAt, JSON.stringify(published)],
    );
    return published;
  }

  async latest(code: string): Promise<PublishedBriefing | undefined> {
    const row = await this.db.get<{ body: string }>(
      'SELECT body FROM briefing_version WHERE code = ? ORDER BY version DESC LIMIT 1',
      [code],
    );
    return row ? PublishedBriefing.parse(JSON.parse(row.body)) : undefined;
  }

  /** The latest version of each of these briefings not yet over (a day after its start). */
  async upcoming(codes: string[]): Promise<PublishedBriefing[]> {
    const since = this.now().getTime() - 24 * 60 * 60 * 1000;
    const latest = await Promise.all(codes.map((code) => this.latest(code)));
    return latest
      .filter((b): b is PublishedBriefing => b !== undefined && Date.parse(b.startsAt) >= since)
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  }

  /** Whether any version of the briefing carries the document. */
  async carries(briefingCode: string, sha256: string): Promise<boolean> {
    const row = await this.db.get(
      `SELECT 1 FROM briefing_version b, json_each(b.body, '$.agenda') a, json_each(a.value, '$.documents') d
       WHERE b.code = ? AND json_extract(d.value, '$.sha256') = ? LIMIT 1`,
      [briefingCode, sha256],
    );
    return row !== undefined;
  }

  /** Issues a signed record; its PDF must have been uploaded first. */
  async publishRecord(notice: RecordNotice): Promise<PublishedRecord> {
    if (!this.blobs.has(notice.document.sha256)) {
      throw new CatalogError('missing_documents', 'upload the signed PDF before issuing it', [notice.document.name]);
    }
    const record: PublishedRecord = { ...notice, publishedAt: this.now().toISOString() };
    await this.recordDocument(notice.document);
    await this.db.run(
      `INSERT INTO record (sha256, briefing_code, kind, published_at, body) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (briefing_code, kind, sha256) DO UPDATE SET body = excluded.body`,
      [notice.document.sha256, notice.briefingCode, notice.kind, record.publishedAt, JSON.stringify(record)],
    );
    for (const point of new Set(notice.recipients)) {
      await this.db.run('INSERT OR IGNORE INTO record_recipient (sha256, point) VALUES (?, ?)', [notice.document.sha256, point]);
    }
    return record;
  }

  /** The records of one briefing addressed to one of its seats, newest first. */
  async recordsFor(briefingCode: string, seat: string): Promise<PublishedRecord[]> {
    const rows = await this.db.all<{ body: string }>(
      `SELECT r.body FROM record r JOIN record_recipient p ON p.sha256 = r.sha256
       WHERE r.briefing_code = ? AND p.point = ? ORDER BY r.published_at DESC`,
      [briefingCode, seat],
    );
    return rows.map((r) => PublishedRecord.parse(JSON.parse(r.body)));
  }

  /** Whether the document is a record of the briefing addressed to this seat (or its issuer's). */
  async recordReaches(briefingCode: string, seat: string, sha256: string): Promise<boolean> {
    const row = await this.db.get(
      `SELECT 1 FROM record r JOIN record_recipient p ON p.sha256 = r.sha256
       WHERE r.briefing_code = ? AND r.sha256 = ? AND p.point = ? LIMIT 1`,
      [briefingCode, sha256, seat],
    );
    return row !== undefined;
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
