// Who the caller of a catalog request is, and the rule behind each kind of access the route
// table declares. A rule answers null (allowed) or the reason it refuses.
import type { CatalogAccess } from '../../protocol/catalog';
import type { Organizer, Organizers } from '../access/Organizers';
import type { Invitations, Seat } from '../access/Invitations';
import type { Catalog } from './Catalog';
import { type Assignments, seriesKey } from '../followUp/Assignments';
import type { Enrolled, Enrolments } from '../access/Enrolments';

export type Caller = { kind: 'organizer'; organizer: Organizer } | { kind: 'seat'; seat: Seat };

export interface AccessServices {
  catalog: Catalog;
  organizers: Organizers;
  invitations: Invitations;
  assignments: Assignments;
  enrolments: Enrolments;
}

/** The series a seat's briefing belongs to, as the key assignments are kept under; null if none. */
export async function seriesOfSeat(seat: Seat, services: AccessServices): Promise<string | null> {
  const briefing = await services.catalog.latest(seat.briefingCode);
  if (!briefing?.series) return null;
  return seriesKey(await services.organizers.ownerOf(seat.briefingCode), briefing.series);
}

/** What a rule may look at: the route's parameters and, for JSON routes, the validated body. */
export interface AccessRequest {
  params: Record<string, string>;
  body: unknown;
}

/** The organizer a key names, else the point an enrolment code names, else the seat an invite
 * code opens; `withdrawn` for a key or code this server issued and revoked; null for one it never
 * issued (a guess). */
export async function identify(token: string, services: AccessServices): Promise<Caller | { kind: 'enrolled'; enrolled: Enrolled } | 'withdrawn' | null> {
  const organizer = await services.organizers.verify(token);
  if (organizer === 'withdrawn') return organizer;
  if (organizer) return { kind: 'organizer', organizer };
  const enrolled = await services.enrolments.lookup(token);
  if (enrolled === 'withdrawn') return enrolled;
  if (enrolled) return { kind: 'enrolled', enrolled };
  const seat = await services.invitations.lookup(token);
  if (seat === 'withdrawn') return seat;
  return seat ? { kind: 'seat', seat } : null;
}

type Rule = (caller: Caller, request: AccessRequest, services: AccessServices) => Promise<string | null>;

/** The briefing a request is about: its path's `:code`, or the body's code or briefingCode. */
function briefingOf({ params, body }: AccessRequest): string | undefined {
  if (params.code) return params.code;
  const fields = body as { code?: unknown; briefingCode?: unknown } | null;
  const code = fields?.briefingCode ?? fields?.code;
  return typeof code === 'string' ? code : undefined;
}

const ownsBriefing = async (caller: Caller, code: string | undefined, services: AccessServices) =>
  caller.kind === 'organizer' && code !== undefined && (await services.organizers.ownerOf(code)) === caller.organizer.id;

const seatOf = (caller: Caller, code: string | undefined) => (caller.kind === 'seat' && caller.seat.briefingCode === code ? caller.seat : null);

export const accessRules: Record<CatalogAccess, Rule> = {
  organizer: async (caller) => (caller.kind === 'organizer' ? null : 'this needs an organizer key'),

  publisher: async (caller, request, services) => {
    const code = briefingOf(request);
    const owner = code ? await services.organizers.ownerOf(code) : null;
    const published = code ? (await services.catalog.latest(code)) !== undefined : false;
    if (caller.kind === 'organizer') {
      if (owner === caller.organizer.id || !published) return null;
      // A briefing published before organizers existed has no owner: only its chair may update it.
      return owner === null ? 'this briefing was published before organizer keys: a new version needs its chair code' : 'this briefing code belongs to another organizer';
    }
    if (seatOf(caller, code)?.role === 'chair') return null;
    return published ? "publishing a new version of this briefing needs its chair code or its organizer's key" : 'publishing a new briefing needs an organizer key';
  },

  briefing_reader: async (caller, request, services) => {
    const code = briefingOf(request);
    return seatOf(caller, code) || (await ownsBriefing(caller, code, services)) ? null : 'this briefing is not open to this key or invite code';
  },

  seat_or_organizer: async () => null,

  seat: async (caller) => (caller.kind === 'seat' ? null : "this needs a meeting point's invite code"),

  chair_or_secretary: async (caller, request) => {
    const role = seatOf(caller, briefingOf(request))?.role;
    return role === 'chair' || role === 'secretary' ? null : "this needs the briefing's chair or secretary code";
  },

  document_reader: async (caller, { params }, services) => {
    const sha = params.sha256;
    if (caller.kind === 'organizer') {
      const mayRead = (await services.organizers.mayRead(sha, caller.organizer.id)) || (await services.assignments.attachmentIn(sha, { owner: caller.organizer.id }));
      return mayRead ? null : 'this document is not open to this key';
    }
    const { briefingCode, seat, role } = caller.seat;
    if ((await services.catalog.carries(briefingCode, sha)) || (await services.catalog.recordReaches(briefingCode, seat, sha))) return null;
    const series = await seriesOfSeat(caller.seat, services);
    const reportedTo = series !== null && (await services.assignments.attachmentIn(sha, role === 'point' ? { seriesKey: series, point: seat } : { seriesKey: series }));
    return reportedTo ? null : 'this document is not part of the briefing this invite code opens';
  },

  // An enrolment code is served before the rules (it asks only for its invite codes).
  enrolled: async () => "this needs a meeting point's enrolment code",

  document_writer: async (caller, _request, services) => {
    if (caller.kind === 'organizer' || caller.seat.role === 'chair' || caller.seat.role === 'secretary') return null;
    const series = await seriesOfSeat(caller.seat, services);
    return series !== null && (await services.assignments.hasOpen(series, caller.seat.seat))
      ? null
      : "uploading needs an organizer key, a briefing's chair or secretary code, or an assignment open for this meeting point";
  },
};
