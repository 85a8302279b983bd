// Numbered schema migrations of the meeting point's local store. Never edit a released one:
// add the next number. PRAGMA user_version records how far a database has come.
import type { Migration } from '../../../sfu-server/src/db/SqliteStore';

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
];
