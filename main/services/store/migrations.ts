// Numbered schema migrations of the meeting point's local store. Never edit a released one:
// add the next number. PRAGMA user_version records how far a database has come.
import type { Migration } from '../../../lib/SqliteStore';

export const migrations: Migration[] = [
  {
    version: 1,
    why: "remember the meeting point's settings between runs",
    sql: `
      CREATE TABLE meeting_point_profile (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        server_url TEXT NOT NULL DEFAULT '',
        briefing_code TEXT NOT NULL DEFAULT '',
        point_name TEXT NOT NULL DEFAULT '',
        camera_id TEXT,
        microphone_id TEXT,
        language TEXT NOT NULL DEFAULT 'vi',
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      );
      INSERT INTO meeting_point_profile (id) VALUES (1);
    `,
  },
  {
    version: 2,
    why: 'keep a history of briefings joined: when, how long, which meeting points were present',
    sql: `
      CREATE TABLE briefing_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        server_url TEXT NOT NULL,
        briefing_code TEXT NOT NULL,
        point_name TEXT NOT NULL,
        joined_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        left_at TEXT
      );
      CREATE INDEX briefing_history_joined ON briefing_history (joined_at DESC);
      CREATE TABLE briefing_history_point (
        history_id INTEGER NOT NULL REFERENCES briefing_history (id) ON DELETE CASCADE,
        point_name TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        PRIMARY KEY (history_id, point_name)
      );
    `,
  },
  {
    version: 3,
    why: 'keep briefings, their documents and personal page notes on this PC, searchable without diacritics',
    sql: `
      CREATE TABLE briefing (
        code TEXT PRIMARY KEY,
        server_url TEXT NOT NULL,
        version INTEGER NOT NULL,
        body TEXT NOT NULL,
        synced_at TEXT NOT NULL
      );
      CREATE TABLE briefing_draft (
        code TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE document (
        sha256 TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        mime_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        page_count INTEGER,
        stored_at TEXT NOT NULL
      );
      CREATE TABLE page_note (
        sha256 TEXT NOT NULL,
        page INTEGER NOT NULL,
        text TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (sha256, page)
      );
      -- Indexed text is folded (no diacritics, đ as d, lower case) with the same length as the
      -- original, so a match position in one is the position in the other.
      CREATE VIRTUAL TABLE search_index USING fts5(
        kind UNINDEXED, ref UNINDEXED, title_original UNINDEXED, body_original UNINDEXED,
        title, body, tokenize = 'unicode61'
      );
    `,
  },
  {
    version: 4,
    why: 'remember one-time steps, such as placing the demo briefing on first start',
    sql: `CREATE TABLE app_flag (name TEXT PRIMARY KEY, set_at TEXT NOT NULL);`,
  },
  {
    version: 5,
    why: "the secretary's minutes: saved within a second of typing, with earlier versions to restore",
    sql: `
      CREATE TABLE minutes (
        briefing_code TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        revision INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE minutes_version (
        briefing_code TEXT NOT NULL,
        revision INTEGER NOT NULL,
        body TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        PRIMARY KEY (briefing_code, revision)
      );
    `,
  },
  {
    version: 6,
    why: 'attendance from join and leave events, and the signed records (minutes, conclusions) kept here',
    sql: `
      CREATE TABLE presence_event (
        id INTEGER PRIMARY KEY,
        history_id INTEGER NOT NULL REFERENCES briefing_history (id),
        briefing_code TEXT NOT NULL,
        point TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('join', 'leave')),
        at TEXT NOT NULL
      );
      CREATE INDEX presence_event_by_briefing ON presence_event (briefing_code, at);
      CREATE TABLE record (
        sha256 TEXT PRIMARY KEY REFERENCES document (sha256),
        briefing_code TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('minutes', 'conclusions')),
        name TEXT NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('signed_here', 'received')),
        stored_at TEXT NOT NULL,
        distributed_at TEXT
      );
    `,
  },
  {
    version: 7,
    why: 'invite codes: every seat\'s, kept where the briefing was published (to hand out), and the one this PC joins with',
    sql: `
      CREATE TABLE invite_code (
        briefing_code TEXT NOT NULL,
        seat TEXT NOT NULL,
        role TEXT NOT NULL,
        code TEXT NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('issued', 'entered')),
        saved_at TEXT NOT NULL,
        PRIMARY KEY (briefing_code, seat, origin)
      );
    `,
  },
  {
    version: 8,
    why: 'a meeting point on a network that blocks direct media may always go through the TURN relay',
    sql: `ALTER TABLE meeting_point_profile ADD COLUMN relay_only INTEGER NOT NULL DEFAULT 0;`,
  },
  {
    version: 9,
    why: "a host unit's organizer key for each server it publishes on (kept like an invite code, never shown back)",
    sql: `
      CREATE TABLE organizer_key (
        server TEXT PRIMARY KEY,
        key TEXT NOT NULL,
        organizer TEXT NOT NULL,
        saved_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 10,
    why: 'the certification authorities whose signers this PC trusts (the national root CA, the government CA), imported by the administrator',
    sql: `
      CREATE TABLE trusted_ca (
        sha256 TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        der BLOB NOT NULL,
        valid_to TEXT NOT NULL,
        added_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 11,
    why: "the host unit's rule on who signs the minutes: the secretary then the chair, or the chair alone",
    sql: `ALTER TABLE meeting_point_profile ADD COLUMN chair_signs_alone INTEGER NOT NULL DEFAULT 0;`,
  },
  {
    version: 12,
    why: "the briefing as its server tells it (who joined and left when, item times), kept for the minutes",
    sql: `CREATE TABLE proceedings (briefing_code TEXT PRIMARY KEY, account TEXT NOT NULL, updated_at TEXT NOT NULL);`,
  },
  {
    version: 13,
    why: "the government's yearly notice of days off, imported by the organizer; a year with one counts deadlines by it",
    sql: `CREATE TABLE holiday_notice (year INTEGER PRIMARY KEY, body TEXT NOT NULL, imported_at TEXT NOT NULL);`,
  },
  {
    version: 14,
    why: 'the follow-up as the server last told it (assignments, and each briefing\'s review), for a PC whose link drops',
    sql: `
      CREATE TABLE follow_up (server TEXT PRIMARY KEY, body TEXT NOT NULL, fetched_at TEXT NOT NULL);
      CREATE TABLE series_review (briefing_code TEXT PRIMARY KEY, body TEXT NOT NULL, fetched_at TEXT NOT NULL);
    `,
  },
  {
    version: 15,
    why: 'what this PC is for, chosen once at first start: a meeting point that joins, or the host unit that also hosts',
    sql: `ALTER TABLE meeting_point_profile ADD COLUMN pc_role TEXT;`,
  },
  {
    version: 16,
    why: "the CA of each server this PC trusts by the fingerprint in its invitation, confirmed by the operator once",
    sql: `CREATE TABLE pinned_ca (hostname TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, ca_pem TEXT NOT NULL, pinned_at TEXT NOT NULL);`,
  },
  {
    version: 17,
    why: "a meeting point's enrolment with its host unit's server, and, on the host unit's PC, its directory of meeting points and the enrolment codes it handed out",
    sql: `
      CREATE TABLE point_enrolment (server_url TEXT PRIMARY KEY, code TEXT NOT NULL, point TEXT NOT NULL, organizer TEXT NOT NULL, saved_at TEXT NOT NULL);
      CREATE TABLE directory_point (point_key TEXT PRIMARY KEY, name TEXT NOT NULL, grp TEXT NOT NULL, added_at TEXT NOT NULL);
      CREATE TABLE issued_enrolment (server_url TEXT NOT NULL, point_key TEXT NOT NULL, point TEXT NOT NULL, code TEXT NOT NULL, issued_at TEXT NOT NULL, PRIMARY KEY (server_url, point_key));
    `,
  },
];
