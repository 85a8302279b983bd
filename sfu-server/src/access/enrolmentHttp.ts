// The enrolment routes of the catalog: the organizer enrols, lists and withdraws its points; an
// enrolled point asks with its enrolment code for its invite code of each briefing that invites it.
import { invitedSeats } from '../../protocol/briefing';
import { catalogRoutes } from '../../protocol/catalog';
import type { EnrolledInvites } from '../../protocol/enrolment';
import { sendJson } from '../http/Gate';
import { type CatalogServices, type Context, Refusal, actorOf } from '../catalog/catalogContext';
import { type Enrolled, pointKey } from './Enrolments';

/** Briefings that ended this long ago still open to an enrolled point: its records and the
 * follow-up of their assignments come through that seat. */
const RECENT_DAYS = 45;

const organizerOf = (ctx: Context) => {
  if (ctx.caller.kind !== 'organizer') throw new Refusal(403, 'forbidden', 'this needs an organizer key');
  return ctx.caller.organizer;
};

export const enrolmentHandlers = {
  enrolPoints: async (ctx: Context) => {
    const organizer = organizerOf(ctx);
    const { points, renew } = catalogRoutes.enrolPoints.body.schema.parse(ctx.body);
    const answer = await ctx.services.enrolments.enrol(organizer.id, points, renew);
    await ctx.services.audit.write({ briefingCode: null, actor: actorOf(ctx.caller), action: 'points_enrolled', subject: null, detail: `${answer.issued.length} codes issued${renew ? ' (renewed)' : ''}, ${answer.already.length} enrolled already` });
    sendJson(ctx.res, 200, answer);
  },

  listEnrolments: async (ctx: Context) => sendJson(ctx.res, 200, await ctx.services.enrolments.list(organizerOf(ctx).id)),

  revokeEnrolment: async (ctx: Context) => {
    const organizer = organizerOf(ctx);
    const { point } = catalogRoutes.revokeEnrolment.body.schema.parse(ctx.body);
    const revoked = await ctx.services.enrolments.revoke(organizer.id, point);
    if (revoked) await ctx.services.audit.write({ briefingCode: null, actor: actorOf(ctx.caller), action: 'enrolment_revoked', subject: point, detail: null });
    sendJson(ctx.res, 200, { revoked });
  },

  // Served outside the access rules (see catalogHttp): the caller is an enrolment, not a seat.
  enrolledInvites: async () => {
    throw new Refusal(403, 'forbidden', "this needs a meeting point's enrolment code");
  },
};

/** The enrolled point's seats: each recent or coming briefing of its organizer that invites it. */
export async function enrolledInvites(services: CatalogServices, enrolled: Enrolled, enrolmentCode: string, now: Date): Promise<EnrolledInvites> {
  const invites: EnrolledInvites['invites'] = [];
  const since = now.getTime() - RECENT_DAYS * 86_400_000;
  for (const code of await services.organizers.ownedBy(enrolled.organizerId)) {
    const briefing = await services.catalog.latest(code);
    if (!briefing || Date.parse(briefing.startsAt) < since) continue;
    const seat = invitedSeats(briefing).find((s) => s.role === 'point' && pointKey(s.name) === enrolled.pointKey);
    if (!seat) continue;
    const invite = await services.enrolments.openSeat(enrolled, enrolmentCode, briefing.code, seat.name);
    invites.push({ briefingCode: briefing.code, title: briefing.title, startsAt: briefing.startsAt, seat: seat.name, code: invite });
  }
  return { point: enrolled.point, organizer: (await services.organizers.nameOf(enrolled.organizerId)) ?? '', invites };
}
