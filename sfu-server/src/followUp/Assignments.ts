// Assignments of signed minutes, tracked on the host's server until their assignees report them
// done. A series is one organizer's run of briefings under one name; an assignment addressed to a
// meeting point is reported on by that point's seat in any briefing of the series.
import {
  type AssignmentRow,
  type ProgressEntry,
  type ProgressReport,
  TrackedAssignment,
  unitKey,
} from '../../protocol/followUp';
import type { PublishedBriefing } from '../../protocol/briefing';
import type { SqliteStore } from '../../../lib/SqliteStore';
import type { Clock } from '../clock';

/** Who owns a series: the organizer's id (null for briefings from before organizer keys). */
export function seriesKey(owner: number | null, series: string): string {
  return `${owner ?? '-'}:${unitKey(series)}`;
}

interface Row {
  id: number;
  briefing_code: string;
  assigned_at: string;
  body: string;
  point: string | null;
  done_at: string | null;
}

/** What an assignment row keeps besides its columns. */
interface Body {
  briefingTitle: string;
  series: string;
  unit: string;
  task: string;
  deadline: string;
}

/** Kept in UTC, so the database orders and compares moments, not strings with offsets. */
const instant = (iso: string) => new Date(iso).toISOString();

/** Reports one assignment takes: a point that reports in a loop fills no disk. */
const MAX_REPORTS = 50;

/** How long an item done stays in the listings. */
const DONE_FOLLOWED_DAYS = 90;

export class AssignmentError extends Error {
  constructor(
    readonly code: 'not_found' | 'forbidden' | 'too_many',
    message: string,
  ) {
    super(message);
  }
}

export class Assignments {
  constructor(
    private readonly db: SqliteStore,
    private readonly now: Clock,
  ) {}

  /** Tracks the assignments of a briefing's signed minutes; a second issue of the same minutes
   * (the countersigned copy) changes nothing already tracked. */
  async track(briefing: PublishedBriefing, owner: number | null, rows: AssignmentRow[]): Promise<number> {
    const series = briefing.series ?? '';
    if (!series || !rows.length) return 0;
    const points = new Map(briefing.invitedPoints.map((p) => [unitKey(p), p]));
    let added = 0;
    await this.db.transaction(async (tx) => {
      for (const [position, row] of rows.entries()) {
        const body: Body = { briefingTitle: briefing.title, series, unit: row.unit, task: row.task, deadline: row.deadline };
        const { changes } = await tx.run(
          `INSERT OR IGNORE INTO assignment (briefing_code, position, series_key, assigned_at, body, point) VALUES (?, ?, ?, ?, ?, ?)`,
          [briefing.code, position, seriesKey(owner, series), instant(briefing.startsAt), JSON.stringify(body), points.get(unitKey(row.unit)) ?? null],
        );
        added += changes;
      }
    });
    return added;
  }

  /** The assignments of a series still followed (open, or done within the last months), oldest
   * first; only those addressed to `point` when given. */
  async ofSeries(key: string, point?: string): Promise<TrackedAssignment[]> {
    const rows = await this.db.all<Row>(
      `SELECT id, briefing_code, assigned_at, body, point, done_at FROM assignment
       WHERE series_key = ? AND (done_at IS NULL OR done_at >= ?) ${point === undefined ? '' : 'AND point = ?'} ORDER BY assigned_at, position`,
      point === undefined ? [key, this.followedSince()] : [key, this.followedSince(), point],
    );
    return this.withProgress(rows);
  }

  /** The assignments still followed in every series an organizer owns. */
  async ofOrganizer(owner: number): Promise<TrackedAssignment[]> {
    const rows = await this.db.all<Row>(
      `SELECT id, briefing_code, assigned_at, body, point, done_at FROM assignment
       WHERE substr(series_key, 1, ?) = ? AND (done_at IS NULL OR done_at >= ?) ORDER BY assigned_at, position`,
      [`${owner}:`.length, `${owner}:`, this.followedSince()],
    );
    return this.withProgress(rows);
  }

  /** Items done before this are history: listings stay the size of the work still followed. */
  private followedSince(): string {
    return new Date(this.now().getTime() - DONE_FOLLOWED_DAYS * 86_400_000).toISOString();
  }

  /** What a briefing of the series starting at `before` reviews: everything the previous
   * briefing assigned, and what is still open from earlier ones. */
  async review(key: string, previousCode: string, before: string): Promise<TrackedAssignment[]> {
    const rows = await this.db.all<Row>(
      `SELECT id, briefing_code, assigned_at, body, point, done_at FROM assignment
       WHERE series_key = ? AND assigned_at < ? AND (briefing_code = ? OR done_at IS NULL) ORDER BY assigned_at, position`,
      [key, instant(before), previousCode],
    );
    return this.withProgress(rows);
  }

  /** Records the assignee's report; only the point it is addressed to, in its series, may. */
  async report(id: number, reporter: { seriesKey: string; point: string }, report: ProgressReport): Promise<TrackedAssignment> {
    const row = await this.db.get<Row & { series_key: string }>('SELECT id, briefing_code, assigned_at, body, point, done_at, series_key FROM assignment WHERE id = ?', [id]);
    if (!row) throw new AssignmentError('not_found', 'no such assignment');
    if (row.series_key !== reporter.seriesKey || row.point !== reporter.point) {
      throw new AssignmentError('forbidden', 'only the meeting point this assignment is addressed to may report on it');
    }
    const reports = await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM assignment_progress WHERE assignment_id = ?', [id]);
    if ((reports?.n ?? 0) >= MAX_REPORTS) throw new AssignmentError('too_many', `an assignment takes at most ${MAX_REPORTS} progress reports`);
    const at = this.now().toISOString();
    const entry: ProgressEntry = { at, by: reporter.point, note: report.note, percent: report.done ? 100 : report.percent, done: report.done, document: report.document };
    await this.db.transaction(async (tx) => {
      await tx.run('INSERT INTO assignment_progress (assignment_id, body, document_sha256) VALUES (?, ?, ?)', [id, JSON.stringify(entry), report.document?.sha256 ?? null]);
      // Done is done when first reported; a later "not done" reopens it (a report sent by mistake).
      await tx.run('UPDATE assignment SET done_at = CASE WHEN ? THEN COALESCE(done_at, ?) ELSE NULL END WHERE id = ?', [report.done ? 1 : 0, at, id]);
    });
    const [tracked] = await this.withProgress([{ ...row, done_at: report.done ? (row.done_at ?? at) : null }]);
    return tracked;
  }

  /** Whether a point has anything open in a series (it may then upload an attachment). */
  async hasOpen(key: string, point: string): Promise<boolean> {
    return (await this.db.get('SELECT 1 FROM assignment WHERE series_key = ? AND point = ? AND done_at IS NULL LIMIT 1', [key, point])) !== undefined;
  }

  /** Whether a document is attached to a report on an assignment of a series (by `point` when
   * given), or of any series of an organizer. */
  async attachmentIn(sha256: string, where: { seriesKey: string; point?: string } | { owner: number }): Promise<boolean> {
    const [condition, values] =
      'owner' in where
        ? ['substr(a.series_key, 1, ?) = ?', [`${where.owner}:`.length, `${where.owner}:`]]
        : where.point === undefined
          ? ['a.series_key = ?', [where.seriesKey]]
          : ['a.series_key = ? AND a.point = ?', [where.seriesKey, where.point]];
    const row = await this.db.get(
      `SELECT 1 FROM assignment_progress p JOIN assignment a ON a.id = p.assignment_id WHERE p.document_sha256 = ? AND ${condition} LIMIT 1`,
      [sha256, ...values],
    );
    return row !== undefined;
  }

  private async withProgress(rows: Row[]): Promise<TrackedAssignment[]> {
    const result: TrackedAssignment[] = [];
    for (const row of rows) {
      const progress = await this.db.all<{ body: string }>('SELECT body FROM assignment_progress WHERE assignment_id = ? ORDER BY id', [row.id]);
      const body = JSON.parse(row.body) as Body;
      result.push(
        TrackedAssignment.parse({
          id: row.id,
          briefingCode: row.briefing_code,
          briefingTitle: body.briefingTitle,
          series: body.series,
          assignedAt: row.assigned_at,
          unit: body.unit,
          point: row.point,
          task: body.task,
          deadline: body.deadline,
          doneAt: row.done_at,
          progress: progress.map((p) => JSON.parse(p.body) as unknown),
        }),
      );
    }
    return result;
  }
}
