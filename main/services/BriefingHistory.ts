// The briefings this meeting point took part in: when, for how long, and who else was there.
import type { HistoryEntry } from '../api/contract';
import type { Store } from './store/Store';

interface HistoryRow {
  id: number;
  server_url: string;
  briefing_code: string;
  point_name: string;
  joined_at: string;
  last_seen_at: string;
  left_at: string | null;
  points: string | null;
}

export class BriefingHistory {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async joined(entry: { serverUrl: string; briefingCode: string; pointName: string }): Promise<number> {
    const at = this.now().toISOString();
    const { lastID } = await this.store.run(
      `INSERT INTO briefing_history (server_url, briefing_code, point_name, joined_at, last_seen_at)
       VALUES (?, ?, ?, ?, ?)`,
      [entry.serverUrl, entry.briefingCode, entry.pointName, at, at],
    );
    return lastID;
  }

  /** Called whenever the set of meeting points changes, and periodically: after a crash the
   * last call tells how long the briefing lasted for us. */
  async present(historyId: number, points: string[]): Promise<void> {
    const at = this.now().toISOString();
    await this.store.run('UPDATE briefing_history SET last_seen_at = ? WHERE id = ? AND left_at IS NULL', [at, historyId]);
    for (const point of new Set(points)) {
      await this.store.run(
        'INSERT OR IGNORE INTO briefing_history_point (history_id, point_name, first_seen_at) VALUES (?, ?, ?)',
        [historyId, point, at],
      );
    }
  }

  async left(historyId: number): Promise<void> {
    const at = this.now().toISOString();
    await this.store.run('UPDATE briefing_history SET left_at = ?, last_seen_at = ? WHERE id = ? AND left_at IS NULL', [
      at,
      at,
      historyId,
    ]);
  }

  async list(limit = 100): Promise<HistoryEntry[]> {
    const rows = await this.store.all<HistoryRow>(
      `SELECT h.*, (SELECT json_group_array(point_name) FROM
          (SELECT point_name FROM briefing_history_point p WHERE p.history_id = h.id ORDER BY first_seen_at, point_name)
        ) AS points
       FROM briefing_history h ORDER BY h.joined_at DESC, h.id DESC LIMIT ?`,
      [limit],
    );
    return rows.map((row) => ({
      id: row.id,
      serverUrl: row.server_url,
      briefingCode: row.briefing_code,
      pointName: row.point_name,
      joinedAt: row.joined_at,
      leftAt: row.left_at,
      durationSeconds: Math.max(0, Math.round((Date.parse(row.left_at ?? row.last_seen_at) - Date.parse(row.joined_at)) / 1000)),
      pointsPresent: row.points ? (JSON.parse(row.points) as string[]) : [],
    }));
  }
}
