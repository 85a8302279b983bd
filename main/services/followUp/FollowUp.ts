// The follow-up of assignments on this PC: read from the host's server with every key and code
// held here, kept for when the link drops, and reported on by the assignee's own code.
import { z } from 'zod';
import { SeriesReview, TrackedAssignment, type ProgressReport } from '../../../sfu-server/protocol/followUp';
import type { WorkingCalendar } from '../calendar/OfficeCalendar';
import { vietnamDay } from '../calendar/workingDays';
import { CatalogRequestError, callCatalog, catalogBase } from '../catalog/CatalogClient';
import type { Briefings } from '../Briefings';
import type { DocumentLibrary } from '../documents/DocumentLibrary';
import type { InviteCodes } from '../InviteCodes';
import type { OrganizerKeys } from '../OrganizerKeys';
import type { Store } from '../store/Store';
import { type AssignmentView, type FollowUpReminder, type ReviewView, remindersOf, summaryByUnit, viewOf } from './followUpState';

export interface FollowUpList {
  assignments: AssignmentView[];
  fetchedAt: string | null;
  /** The server could not be reached: this is what it told last. */
  stale: boolean;
}

export class FollowUpError extends Error {
  constructor(
    readonly code: 'not_assignee' | 'no_review_code',
    message: string,
  ) {
    super(message);
  }
}

/** What is kept of a listing: the items, and which this PC reports on. */
const KeptList = z.object({ items: z.array(TrackedAssignment), mine: z.array(z.number()) });
const KeptReview = SeriesReview;

export class FollowUp {
  /** The point code to report each assignment with, learnt from the last listing. */
  private readonly reporters = new Map<number, string>();

  constructor(
    private readonly store: Store,
    private readonly invites: InviteCodes,
    private readonly organizerKeys: OrganizerKeys,
    private readonly briefings: Briefings,
    private readonly library: DocumentLibrary,
    private readonly calendar: () => WorkingCalendar,
    private readonly now: () => Date,
  ) {}

  async list(serverUrl: string): Promise<FollowUpList> {
    const server = catalogBase(serverUrl);
    const key = await this.organizerKeys.keyFor(serverUrl);
    // Only the codes of briefings on this server: another server's codes are not sent here (a
    // server that is not theirs learns nothing, and counts no wrong code against this PC).
    const codes = (await this.invites.forFollowUp()).filter((c) => c.serverUrl !== null && c.serverUrl !== '' && catalogBase(c.serverUrl) === server);
    const tokens = [...(key ? [{ code: key, role: 'organizer' as const }] : []), ...codes];
    const items = new Map<number, TrackedAssignment>();
    const mine = new Set<number>();
    let reached = false;
    for (const token of tokens) {
      try {
        const { assignments } = await callCatalog(serverUrl, 'listAssignments', { params: {}, token: token.code, timeoutMs: 10_000 });
        reached = true;
        for (const item of assignments) {
          items.set(item.id, item);
          if (token.role === 'point') {
            mine.add(item.id);
            this.reporters.set(item.id, token.code);
          }
        }
      } catch (error) {
        // A code of another server, or withdrawn: the others still answer.
        if (!(error instanceof CatalogRequestError)) throw error;
      }
    }
    if (!reached && tokens.length) return this.kept(server, true);
    const fetchedAt = this.now().toISOString();
    const body = JSON.stringify({ items: [...items.values()], mine: [...mine] });
    await this.store.run(
      `INSERT INTO follow_up (server, body, fetched_at) VALUES (?, ?, ?) ON CONFLICT (server) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at`,
      [server, body, fetchedAt],
    );
    return this.views([...items.values()], mine, fetchedAt, false);
  }

  async reminders(serverUrl: string): Promise<FollowUpReminder[]> {
    const { assignments } = await this.list(serverUrl);
    return remindersOf(assignments, vietnamDay(this.now()), this.calendar());
  }

  /** The assignee's report, with an attached document (PDF, DOCX, XLSX) when given. */
  async report(serverUrl: string, id: number, report: Omit<ProgressReport, 'document'>, attachment: { name: string; bytes: Buffer } | null): Promise<AssignmentView> {
    if (!this.reporters.has(id)) await this.list(serverUrl);
    const token = this.reporters.get(id);
    if (!token) throw new FollowUpError('not_assignee', 'this PC holds no code of the meeting point this assignment is addressed to');
    let document = null;
    if (attachment) {
      document = (await this.library.importFile(attachment.name, attachment.bytes)).ref;
      await this.briefings.upload(serverUrl, document, token);
    }
    const tracked = await callCatalog(serverUrl, 'reportProgress', { params: { id: String(id) }, token, body: { ...report, document } });
    return viewOf(tracked, vietnamDay(this.now()), this.calendar(), true);
  }

  /** What a briefing of a series reviews, as the server tells it now; kept for the minutes and
   * for a link that drops during the briefing. */
  async review(serverUrl: string, briefingCode: string): Promise<ReviewView | null> {
    const token = (await this.invites.forJoining(briefingCode))?.code ?? (await this.organizerKeys.keyFor(serverUrl));
    if (!token) throw new FollowUpError('no_review_code', 'this PC holds no code of this briefing');
    try {
      const review = await callCatalog(serverUrl, 'seriesReview', { params: { code: briefingCode }, token, timeoutMs: 10_000 });
      const fetchedAt = this.now().toISOString();
      await this.store.run(
        `INSERT INTO series_review (briefing_code, body, fetched_at) VALUES (?, ?, ?)
         ON CONFLICT (briefing_code) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at`,
        [briefingCode, JSON.stringify(review), fetchedAt],
      );
      return this.reviewView(review, fetchedAt);
    } catch (error) {
      if (error instanceof CatalogRequestError && error.code === 'unreachable') return this.keptReview(briefingCode);
      throw error;
    }
  }

  /** The review as last told, for the minutes of that briefing. */
  async keptReview(briefingCode: string): Promise<ReviewView | null> {
    const row = await this.store.get<{ body: string; fetched_at: string }>('SELECT body, fetched_at FROM series_review WHERE briefing_code = ?', [briefingCode]);
    return row ? this.reviewView(KeptReview.parse(JSON.parse(row.body)), row.fetched_at) : null;
  }

  private reviewView(review: SeriesReview, fetchedAt: string): ReviewView {
    const today = vietnamDay(this.now());
    const assignments = review.assignments.map((item) => viewOf(item, today, this.calendar(), false));
    return { previous: review.previous, assignments, byUnit: summaryByUnit(assignments), fetchedAt };
  }

  private async kept(server: string, stale: boolean): Promise<FollowUpList> {
    const row = await this.store.get<{ body: string; fetched_at: string }>('SELECT body, fetched_at FROM follow_up WHERE server = ?', [server]);
    if (!row) return { assignments: [], fetchedAt: null, stale };
    const kept = KeptList.parse(JSON.parse(row.body));
    return this.views(kept.items, new Set(kept.mine), row.fetched_at, stale);
  }

  private views(items: TrackedAssignment[], mine: Set<number>, fetchedAt: string, stale: boolean): FollowUpList {
    const today = vietnamDay(this.now());
    const assignments = items.map((item) => viewOf(item, today, this.calendar(), mine.has(item.id)));
    return { assignments, fetchedAt, stale };
  }
}
