// The briefings this meeting point took part in: when, for how long, and who else was there.
import type { HistoryEntry } from '../api/contract';
import type { PresenceEvent } from './minutes/attendance';
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
    await this.event(lastID, entry.pointName, 'join', at);
    return lastID;
  }

  private async event(historyId: number, point: string, type: 'join' | 'leave', at: string): Promise<void> {
    await this.store.run(
      `INSERT INTO presence_event (history_id, briefing_code, point, type, at)
       SELECT id, briefing_code, ?, ?, ? FROM briefing_history WHERE id = ?`,
      [point, type, at, historyId],
    );
  }

  /** This PC's point name in a briefing it has not left yet; null once it left. */
  private async stillIn(historyId: number): Promise<string | null> {
    const row = await this.store.get<{ point_name: string }>('SELECT point_name FROM briefing_history WHERE id = ? AND left_at IS NULL', [
      historyId,
    ]);
    return row?.point_name ?? null;
  }

  /** Who is in the briefing now, by the last event of each point. */
  private async currentlyPresent(historyId: number): Promise<Set<string>> {
    const rows = await this.store.all<{ point: string }>(
      `SELECT point FROM presence_event e WHERE history_id = ? AND type = 'join'
       AND id = (SELECT MAX(id) FROM presence_event WHERE history_id = e.history_id AND point = e.point)`,
      [historyId],
    );
    return new Set(rows.map((r) => r.point));
  }

  /** The names this PC joined the briefing under. */
  async ownPoints(briefingCode: string): Promise<string[]> {
    const rows = await this.store.all<{ point_name: string }>('SELECT DISTINCT point_name FROM briefing_history WHERE briefing_code = ?', [briefingCode]);
    return rows.map((r) => r.point_name);
  }

  /** Join and leave events of every meeting point, in every session of this PC in the briefing. */
  async presenceEvents(briefingCode: string): Promise<PresenceEvent[]> {
    return this.store.all<PresenceEvent>(
      'SELECT point, type, at FROM presence_event WHERE briefing_code = ? ORDER BY at, id',
      [briefingCode],
    );
  }

  /** Called whenever the set of meeting points changes, and periodically: after a crash the
   * last call tells how long the briefing lasted for us. */
  async present(historyId: number, points: string[]): Promise<void> {
    const at = this.now().toISOString();
    await this.store.run('UPDATE briefing_history SET last_seen_at = ? WHERE id = ? AND left_at IS NULL', [at, historyId]);
    const now = new Set(points);
    for (const point of now) {
      await this.store.run(
        'INSERT OR IGNORE INTO briefing_history_point (history_id, point_name, first_seen_at) VALUES (?, ?, ?)',
        [historyId, point, at],
      );
    }
    // The set changed since the last call: that is when points joined or left.
    const ownPoint = await this.stillIn(historyId);
    if (ownPoint === null) return;
    const before = await this.currentlyPresent(historyId);
    before.delete(ownPoint);
    for (const point of now) if (!before.has(point) && point !== ownPoint) await this.event(historyId, point, 'join', at);
    for (const point of before) if (!now.has(point)) await this.event(historyId, point, 'leave', at);
  }

  async left(historyId: number): Promise<void> {
    const at = this.now().toISOString();
    if ((await this.stillIn(historyId)) !== null) {
      // Leaving ends our view of everyone: from here on we do not know who stays.
      for (const point of await this.currentlyPresent(historyId)) await this.event(historyId, point, 'leave', at);
    }
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
