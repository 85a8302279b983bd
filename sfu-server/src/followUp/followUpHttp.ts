// The follow-up routes of the catalog: listing assignments, an assignee's progress report, and
// what a briefing of a series reviews. Access was checked by the route's rule before these run;
// what depends on the assignment itself (its series, its point) is checked here.
import { catalogRoutes } from '../../protocol/catalog';
import { unitKey } from '../../protocol/followUp';
import type { PublishedBriefing } from '../../protocol/briefing';
import { sendJson } from '../http/Gate';
import { type Context, Refusal, actorOf } from '../catalog/catalogContext';
import { seriesOfSeat } from '../catalog/catalogAccess';
import { AssignmentError, seriesKey } from './Assignments';

/** The latest earlier briefing of the same organizer and series. */
async function previousInSeries(briefing: PublishedBriefing, owner: number | null, ctx: Context): Promise<PublishedBriefing | null> {
  const codes = owner === null ? [] : await ctx.services.organizers.ownedBy(owner);
  const series = unitKey(briefing.series ?? '');
  // Times compared as instants: "…T07:30:00+07:00" and "…T00:30:00.000Z" are the same moment.
  const at = (b: PublishedBriefing) => Date.parse(b.startsAt);
  let previous: PublishedBriefing | null = null;
  for (const code of codes) {
    const other = await ctx.services.catalog.latest(code);
    if (!other || other.code === briefing.code || unitKey(other.series ?? '') !== series) continue;
    if (at(other) < at(briefing) && (!previous || at(other) > at(previous))) previous = other;
  }
  return previous;
}

export const followUpHandlers = {
  listAssignments: async ({ res, caller, services }: Context) => {
    if (caller.kind === 'organizer') return sendJson(res, 200, { assignments: await services.assignments.ofOrganizer(caller.organizer.id) });
    const series = await seriesOfSeat(caller.seat, services);
    if (series === null) return sendJson(res, 200, { assignments: [] });
    const onlyOwn = caller.seat.role === 'point' ? caller.seat.seat : undefined;
    sendJson(res, 200, { assignments: await services.assignments.ofSeries(series, onlyOwn) });
  },

  reportProgress: async ({ res, params, body, caller, services }: Context) => {
    if (caller.kind !== 'seat') throw new Refusal(403, 'forbidden', "this needs a meeting point's invite code");
    const report = catalogRoutes.reportProgress.body.schema.parse(body);
    const series = await seriesOfSeat(caller.seat, services);
    if (series === null) throw new Refusal(403, 'forbidden', 'this invite code opens a briefing outside any series');
    if (report.document && !services.catalog.blobs.has(report.document.sha256)) throw new Refusal(409, 'missing_documents', 'upload the attached document first', [report.document.name]);
    try {
      const tracked = await services.assignments.report(Number(params.id), { seriesKey: series, point: caller.seat.seat }, report);
      if (report.document) await services.catalog.recordDocument(report.document);
      await services.audit.write({ briefingCode: tracked.briefingCode, actor: actorOf(caller), action: 'progress_reported', subject: `assignment ${tracked.id}`, detail: report.done ? 'done' : `${report.percent}%` });
      sendJson(res, 201, tracked);
    } catch (error) {
      if (!(error instanceof AssignmentError)) throw error;
      if (error.code === 'too_many') throw new Refusal(429, 'rate_limited', error.message);
      throw new Refusal(error.code === 'not_found' ? 404 : 403, error.code, error.message);
    }
  },

  seriesReview: async (ctx: Context) => {
    const briefing = await ctx.services.catalog.latest(ctx.params.code);
    if (!briefing) throw new Refusal(404, 'not_found', 'no such briefing');
    if (!briefing.series) return sendJson(ctx.res, 200, { previous: null, assignments: [] });
    const owner = await ctx.services.organizers.ownerOf(briefing.code);
    const previous = await previousInSeries(briefing, owner, ctx);
    if (!previous) return sendJson(ctx.res, 200, { previous: null, assignments: [] });
    const assignments = await ctx.services.assignments.review(seriesKey(owner, briefing.series), previous.code, briefing.startsAt);
    sendJson(ctx.res, 200, { previous: { code: previous.code, title: previous.title, startsAt: previous.startsAt }, assignments });
  },
};
