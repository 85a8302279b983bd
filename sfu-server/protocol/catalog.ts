// The catalog's HTTP routes as one typed table: method, path, the request body's schema, the
// answer's schema, and who may call. The server dispatches and authorizes from it; the desktop's
// catalog client builds its requests from it and validates every answer against it.
import { z } from 'zod';
import { Role } from './chairing';
import { BriefingCode } from './index';
import { BriefingDraft, PublishAnswer, PublishedBriefing, PublishedRecord, RecordNotice, Sha256 } from './briefing';
import { AssignmentId, AssignmentList, ProgressReport, SeriesReview, TrackedAssignment } from './followUp';
import { EnrolAnswer, EnrolRequest, EnrolledInvites, EnrolmentList, RevokeAnswer, RevokeEnrolment } from './enrolment';

/** Who may call a route. Every route needs `Authorization: Bearer <organizer key or invite code>`.
 * - organizer: any valid organizer key;
 * - publisher: the organizer that owns the briefing (or anyone's key for a new code), or the
 *   briefing's chair code;
 * - briefing_reader: a seat code of the briefing, or the organizer that owns it;
 * - seat_or_organizer: a seat code (answers for its own briefing) or an organizer key (its own);
 * - seat: a seat code;
 * - chair_or_secretary: the chair's or the secretary's code of the briefing;
 * - document_reader: a seat of a briefing that carries the document or a record of it addressed
 *   to that seat, or the organizer that uploaded it or owns such a briefing; a progress report's
 *   attachment: the reporting point, the series' chair and secretary, and its organizer;
 * - document_writer: an organizer key, a chair's or secretary's code (signed records), or the
 *   code of a point with an assignment open in the briefing's series (its progress report);
 * - enrolled: a meeting point's enrolment code (and nothing else takes one). */
export const CatalogAccess = z.enum([
  'organizer',
  'publisher',
  'briefing_reader',
  'seat_or_organizer',
  'seat',
  'chair_or_secretary',
  'document_reader',
  'document_writer',
  'enrolled',
]);
export type CatalogAccess = z.infer<typeof CatalogAccess>;

/** Why a catalog request was refused; the app words each one. */
export const CatalogErrorCode = z.enum([
  'bad_request',
  'bad_json',
  'unsupported_media_type',
  'unauthorized',
  /** A key or code this server issued and withdrew. */
  'withdrawn',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'too_large',
  'bad_type',
  'empty',
  'hash_mismatch',
  'disk_full',
  'io',
  'missing_documents',
  'not_attended',
  'rate_limited',
  'too_many_connections',
  'bad_origin',
  'internal',
]);
export type CatalogErrorCode = z.infer<typeof CatalogErrorCode>;

export const CatalogErrorBody = z.object({
  error: z.object({ code: CatalogErrorCode, message: z.string(), details: z.array(z.string()).optional() }),
});

/** Who the server took the caller for: the desktop learns the seat an invite code opens, or the
 * host unit an organizer key belongs to, from its first listing. */
export const CatalogCaller = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('organizer'), organizer: z.string() }),
  z.object({ kind: z.literal('seat'), briefingCode: BriefingCode, seat: z.string(), role: Role }),
]);
export type CatalogCaller = z.infer<typeof CatalogCaller>;

export const BriefingList = z.object({ caller: CatalogCaller, briefings: z.array(PublishedBriefing) });
export type BriefingList = z.infer<typeof BriefingList>;

export const AuditEvent = z.object({
  at: z.string(),
  briefingCode: z.string().nullable(),
  actor: z.string(),
  action: z.string(),
  subject: z.string().nullable(),
  detail: z.string().nullable(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

export const UploadAnswer = z.object({ sha256: Sha256, size: z.number().int() });

type Json = { kind: 'json'; schema: z.ZodType };
/** The body or answer is a document's bytes, typed by its Content-Type. */
type Bytes = { kind: 'document' };
const json = <S extends z.ZodType>(schema: S) => ({ kind: 'json' as const, schema });
const bytes: Bytes = { kind: 'document' };

export interface RouteSpec {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST';
  /** Segments starting with ':' are parameters, each with its schema in `params`. */
  path: string;
  params: Record<string, z.ZodType<string>>;
  access: CatalogAccess;
  body: Json | Bytes | null;
  answer: Json | Bytes | null;
}

export const catalogRoutes = {
  documentStored: { method: 'HEAD', path: '/catalog/documents/:sha256', params: { sha256: Sha256 }, access: 'document_writer', body: null, answer: null },
  uploadDocument: { method: 'PUT', path: '/catalog/documents/:sha256', params: { sha256: Sha256 }, access: 'document_writer', body: bytes, answer: json(UploadAnswer) },
  downloadDocument: { method: 'GET', path: '/catalog/documents/:sha256', params: { sha256: Sha256 }, access: 'document_reader', body: null, answer: bytes },
  publishBriefing: { method: 'POST', path: '/catalog/briefings', params: {}, access: 'publisher', body: json(BriefingDraft), answer: json(PublishAnswer) },
  listBriefings: { method: 'GET', path: '/catalog/briefings', params: {}, access: 'seat_or_organizer', body: null, answer: json(BriefingList) },
  getBriefing: { method: 'GET', path: '/catalog/briefings/:code', params: { code: BriefingCode }, access: 'briefing_reader', body: null, answer: json(PublishedBriefing) },
  publishRecord: { method: 'POST', path: '/catalog/records', params: {}, access: 'chair_or_secretary', body: json(RecordNotice), answer: json(PublishedRecord) },
  listRecords: { method: 'GET', path: '/catalog/records', params: {}, access: 'seat', body: null, answer: json(z.array(PublishedRecord)) },
  /** RFC 3161 over HTTP: an application/timestamp-query in, an application/timestamp-reply out. */
  timeStamp: { method: 'POST', path: '/catalog/timestamp', params: {}, access: 'document_writer', body: bytes, answer: bytes },
  /** An organizer: its series' assignments; the chair or secretary: the series'; a point: its own. */
  listAssignments: { method: 'GET', path: '/catalog/assignments', params: {}, access: 'seat_or_organizer', body: null, answer: json(AssignmentList) },
  /** Only the seat of the meeting point the assignment is addressed to, in a briefing of its series. */
  reportProgress: { method: 'POST', path: '/catalog/assignments/:id/progress', params: { id: AssignmentId }, access: 'seat', body: json(ProgressReport), answer: json(TrackedAssignment) },
  seriesReview: { method: 'GET', path: '/catalog/briefings/:code/review', params: { code: BriefingCode }, access: 'briefing_reader', body: null, answer: json(SeriesReview) },
  /** The organizer enrols the points of its directory once: a code each, shown this once. */
  enrolPoints: { method: 'POST', path: '/catalog/enrolments', params: {}, access: 'organizer', body: json(EnrolRequest), answer: json(EnrolAnswer) },
  listEnrolments: { method: 'GET', path: '/catalog/enrolments', params: {}, access: 'organizer', body: null, answer: json(EnrolmentList) },
  revokeEnrolment: { method: 'POST', path: '/catalog/enrolments/revoke', params: {}, access: 'organizer', body: json(RevokeEnrolment), answer: json(RevokeAnswer) },
  /** An enrolled point: its invite code for each briefing of its organizer that invites it. */
  enrolledInvites: { method: 'GET', path: '/catalog/enrolment/invites', params: {}, access: 'enrolled', body: null, answer: json(EnrolledInvites) },
  auditLog: { method: 'GET', path: '/catalog/audit/:code', params: { code: BriefingCode }, access: 'chair_or_secretary', body: null, answer: json(z.array(AuditEvent)) },
} as const satisfies Record<string, RouteSpec>;

export type CatalogRoute = keyof typeof catalogRoutes;
type JsonSchemaOf<T> = T extends { kind: 'json'; schema: infer S extends z.ZodType } ? S : never;
/** The JSON body a route takes, and the JSON answer it gives. */
export type RouteBody<R extends CatalogRoute> = z.input<JsonSchemaOf<(typeof catalogRoutes)[R]['body']>>;
export type RouteAnswer<R extends CatalogRoute> = z.infer<JsonSchemaOf<(typeof catalogRoutes)[R]['answer']>>;
export type RouteParams<R extends CatalogRoute> = { [K in keyof (typeof catalogRoutes)[R]['params']]: string };

/** The path of a route with its parameters filled in (and escaped). */
export function routePath<R extends CatalogRoute>(route: R, params: RouteParams<R>): string {
  const values = params as Record<string, string>;
  return catalogRoutes[route].path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? encodeURIComponent(values[segment.slice(1)]) : segment))
    .join('/');
}

export type RouteMatch = { route: CatalogRoute; params: Record<string, string> } | { problem: 'not_found' | 'method_not_allowed' | 'bad_request'; message: string };

/** Finds the route for a method and a decoded path; parameters are checked against their schemas. */
export function matchRoute(method: string, segments: string[]): RouteMatch {
  let pathMatched = false;
  for (const [route, spec] of Object.entries(catalogRoutes) as [CatalogRoute, RouteSpec][]) {
    const pattern = spec.path.split('/').filter(Boolean);
    if (pattern.length !== segments.length || !pattern.every((p, i) => p.startsWith(':') || p === segments[i])) continue;
    pathMatched = true;
    if (spec.method !== method) continue;
    const params: Record<string, string> = {};
    for (const [i, p] of pattern.entries()) {
      if (!p.startsWith(':')) continue;
      const checked = spec.params[p.slice(1)].safeParse(segments[i]);
      if (!checked.success) return { problem: 'bad_request', message: `${p.slice(1)}: ${checked.error.issues[0]?.message ?? 'invalid'}` };
      params[p.slice(1)] = checked.data;
    }
    return { route, params };
  }
  return pathMatched ? { problem: 'method_not_allowed', message: `${method} is not accepted here` } : { problem: 'not_found', message: 'no such catalog resource' };
}
