// The catalog over HTTP, dispatched from the shared route table (protocol/catalog.ts): every
// request is matched to a route, must carry `Authorization: Bearer <organizer key or invite
// code>` and, with a body, the route's Content-Type; its body is validated, the route's declared
// access rule decides, and only then does its handler run.
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type http from 'node:http';
import { z } from 'zod';
import { DOCUMENT_TYPES, type DocumentMimeType, MAX_DOCUMENT_BYTES, invitedSeats } from '../../protocol/briefing';
import { type CatalogRoute, type RouteSpec, catalogRoutes, matchRoute } from '../../protocol/catalog';
import { sendError, sendJson } from '../http/Gate';
import { BlobError } from '../../../lib/BlobStore';
import { CatalogError } from './Catalog';
import { type Caller, accessRules, identify } from './catalogAccess';
import { followUpHandlers } from '../followUp/followUpHttp';
import { enrolledInvites, enrolmentHandlers } from '../access/enrolmentHttp';
import { type CatalogEvents, type CatalogServices, type Context, Refusal, actorOf } from './catalogContext';

export type { CatalogEvents, CatalogServices };

const MAX_JSON_BYTES = 1024 * 1024;
/** A JSON body must arrive within this; documents are bounded by the server's request timeout. */
const JSON_BODY_DEADLINE_MS = 15_000;



function bearer(req: http.IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S.{0,199})$/i.exec(req.headers.authorization ?? '');
  return match?.[1].trim();
}


async function readJson(req: http.IncomingMessage, schema: z.ZodType): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_JSON_BYTES) throw new Refusal(413, 'too_large', `body over ${MAX_JSON_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  const deadline = setTimeout(() => req.destroy(new Error('body too slow')), JSON_BODY_DEADLINE_MS);
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_JSON_BYTES) throw new Refusal(413, 'too_large', `body over ${MAX_JSON_BYTES} bytes`);
      chunks.push(chunk);
    }
  } finally {
    clearTimeout(deadline);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new Refusal(400, 'bad_json', 'body is not JSON');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new Refusal(400, 'bad_request', z.prettifyError(parsed.error));
  return parsed.data;
}

function contentType(req: http.IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

const handlers: { [R in CatalogRoute]: (ctx: Context) => Promise<void> } = {
  documentStored: async ({ res, params, services }) => {
    res.writeHead(services.catalog.blobs.has(params.sha256) ? 200 : 404, { 'cache-control': 'no-store' });
    res.end();
  },
  uploadDocument: async ({ req, res, params, caller, services }) => upload(req, res, params.sha256, caller, services),
  downloadDocument: async ({ req, res, params, services }) => download(req, res, params.sha256, services),

  publishBriefing: async ({ res, body, caller, services, events }) => {
    const draft = catalogRoutes.publishBriefing.body.schema.parse(body);
    const published = await services.catalog.publish(draft);
    if (caller.kind === 'organizer') await services.organizers.claim(published.code, caller.organizer.id);
    const credentials = await services.invitations.issueFor(published.code, invitedSeats(published).map((s) => ({ seat: s.name, role: s.role })));
    await services.audit.write({ briefingCode: published.code, actor: actorOf(caller), action: 'published', subject: `version ${published.version}`, detail: `${credentials.length} invite codes issued` });
    events.briefingPublished(published);
    sendJson(res, 201, { ...published, credentials });
  },

  listBriefings: async ({ res, caller, services }) => {
    if (caller.kind === 'organizer') {
      const briefings = await services.catalog.upcoming(await services.organizers.ownedBy(caller.organizer.id));
      return sendJson(res, 200, { caller: { kind: 'organizer', organizer: caller.organizer.name }, briefings });
    }
    const { briefingCode, seat, role } = caller.seat;
    sendJson(res, 200, { caller: { kind: 'seat', briefingCode, seat, role }, briefings: await services.catalog.upcoming([briefingCode]) });
  },

  getBriefing: async ({ res, params, services }) => {
    const briefing = await services.catalog.latest(params.code);
    if (!briefing) throw new Refusal(404, 'not_found', 'no such briefing');
    sendJson(res, 200, briefing);
  },

  publishRecord: async ({ res, body, caller, services, events }) => {
    const notice = catalogRoutes.publishRecord.body.schema.parse(body);
    // A record goes only to seats of this briefing that the server saw join it.
    const attended = await services.audit.seatsThatJoined(notice.briefingCode);
    const strangers = notice.recipients.filter((r) => !attended.has(r));
    if (strangers.length) throw new Refusal(422, 'not_attended', 'a record goes only to meeting points that attended this briefing', strangers);
    const record = await services.catalog.publishRecord(notice);
    const briefing = await services.catalog.latest(notice.briefingCode);
    if (notice.kind === 'minutes' && briefing) {
      const tracked = await services.assignments.track(briefing, await services.organizers.ownerOf(briefing.code), notice.assignments);
      if (tracked) await services.audit.write({ briefingCode: briefing.code, actor: actorOf(caller), action: 'assignments_tracked', subject: null, detail: `${tracked} assignments` });
    }
    events.recordPublished(record);
    sendJson(res, 201, record);
  },

  ...followUpHandlers,
  ...enrolmentHandlers,

  listRecords: async ({ res, caller, services }) => {
    if (caller.kind !== 'seat') throw new Refusal(403, 'forbidden', "this needs a meeting point's invite code");
    sendJson(res, 200, await services.catalog.recordsFor(caller.seat.briefingCode, caller.seat.seat));
  },

  auditLog: async ({ res, params, services }) => sendJson(res, 200, await services.audit.forBriefing(params.code)),

  timeStamp: async ({ req, res, services }) => {
    if (contentType(req) !== 'application/timestamp-query') throw new Refusal(415, 'unsupported_media_type', 'send an application/timestamp-query');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > 4096) throw new Refusal(413, 'too_large', 'a time-stamp request is a few hundred bytes');
      chunks.push(chunk);
    }
    const reply = await services.timeStamps.respond(Buffer.concat(chunks));
    res.writeHead(200, { 'content-type': 'application/timestamp-reply', 'content-length': reply.length, 'cache-control': 'no-store' });
    res.end(reply);
  },
};

/** Handles /catalog/… requests; returns false for any other path. */
export async function handleCatalogRequest(services: CatalogServices, url: URL, req: http.IncomingMessage, res: http.ServerResponse, events: CatalogEvents): Promise<boolean> {
  let segments: string[];
  try {
    segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    sendError(res, 400, 'bad_request', 'the request path has a bad % escape');
    return true;
  }
  if (segments[0] !== 'catalog') return false;
  try {
    await serve(services, segments, req, res, events);
  } catch (error) {
    if (res.headersSent) return true;
    if (error instanceof Refusal) sendError(res, error.status, error.code, error.message, error.details);
    else if (error instanceof CatalogError) sendError(res, error.code === 'not_found' ? 404 : 409, error.code, error.message, error.details);
    else throw error;
  }
  return true;
}

async function serve(services: CatalogServices, segments: string[], req: http.IncomingMessage, res: http.ServerResponse, events: CatalogEvents): Promise<void> {
  const matched = matchRoute(req.method ?? '', segments);
  if ('problem' in matched) {
    throw new Refusal({ not_found: 404, method_not_allowed: 405, bad_request: 400 }[matched.problem], matched.problem, matched.message);
  }
  const spec: RouteSpec = catalogRoutes[matched.route];
  const token = bearer(req);
  if (!token) throw new Refusal(401, 'unauthorized', 'this request needs an Authorization: Bearer header with an organizer key or an invite code');
  const address = req.socket.remoteAddress ?? 'unknown';
  const wait = services.attempts.waitFor(address);
  if (wait > 0) throw new Refusal(429, 'rate_limited', `too many wrong keys or codes from this address: try again in ${Math.ceil(wait / 1000)} s`);
  const caller = await identify(token, services);
  // A withdrawn key or code is a real one (a point a new version no longer invites): refused
  // with that reason, and not counted as guessing, which would lock its whole address out.
  if (caller === 'withdrawn') throw new Refusal(401, 'withdrawn', 'this organizer key or invite code was withdrawn');
  if (!caller) {
    services.attempts.failed(address, null);
    throw new Refusal(401, 'unauthorized', 'this organizer key or invite code is not valid on this server');
  }
  // An enrolment code opens one thing: the point's invite codes, which open the rest.
  if (caller.kind === 'enrolled') {
    if (matched.route !== 'enrolledInvites') throw new Refusal(403, 'forbidden', 'an enrolment code gives the meeting point its invite codes (GET /catalog/enrolment/invites); use those');
    return sendJson(res, 200, await enrolledInvites(services, caller.enrolled, token, services.now()));
  }
  let body: unknown = null;
  if (spec.body?.kind === 'json') {
    if (contentType(req) !== 'application/json') throw new Refusal(415, 'unsupported_media_type', 'send the body as application/json');
    body = await readJson(req, spec.body.schema);
  }
  const refused = await accessRules[spec.access](caller, { params: matched.params, body }, services);
  if (refused) {
    const named = body as { code?: string; briefingCode?: string } | null;
    const code = named?.briefingCode ?? named?.code ?? (Object.hasOwn(matched.params, 'code') ? matched.params.code : null);
    await services.audit.write({ briefingCode: code, actor: `${actorOf(caller)} from ${address}`, action: 'request_refused', subject: matched.route, detail: refused });
    throw new Refusal(403, 'forbidden', refused);
  }
  await handlers[matched.route]({ req, res, params: matched.params, body, caller, services, events });
}

async function upload(req: http.IncomingMessage, res: http.ServerResponse, sha256: string, caller: Caller, services: CatalogServices): Promise<void> {
  const mimeType = contentType(req);
  if (!(mimeType in DOCUMENT_TYPES)) throw new Refusal(415, 'bad_type', `accepted types: ${Object.keys(DOCUMENT_TYPES).join(', ')}`);
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > MAX_DOCUMENT_BYTES) throw new Refusal(413, 'too_large', `documents are limited to ${MAX_DOCUMENT_BYTES} bytes`);
  let name: string;
  try {
    name = decodeURIComponent(String(req.headers['x-document-name'] ?? sha256)).slice(0, 200) || sha256;
  } catch {
    throw new Refusal(400, 'bad_request', 'X-Document-Name has a bad % escape');
  }
  try {
    const { size } = await services.catalog.blobs.put(req, { sha256, mimeType, maxBytes: MAX_DOCUMENT_BYTES });
    await services.catalog.recordDocument({ sha256, name, mimeType: mimeType as DocumentMimeType, size });
    if (caller.kind === 'organizer') await services.organizers.uploaded(sha256, caller.organizer.id);
    sendJson(res, 201, { sha256, size });
  } catch (error) {
    if (!(error instanceof BlobError)) throw error;
    const status = { too_large: 413, empty: 400, hash_mismatch: 400, bad_type: 415, disk_full: 507, io: 500 }[error.code];
    throw new Refusal(status, error.code, error.message);
  }
}

async function download(req: http.IncomingMessage, res: http.ServerResponse, sha256: string, { catalog }: CatalogServices): Promise<void> {
  if (!catalog.blobs.has(sha256)) throw new Refusal(404, 'not_found', 'no such document');
  const size = catalog.blobs.size(sha256);
  const type = (await catalog.documentType(sha256)) ?? 'application/octet-stream';
  const range = /^bytes=(\d{1,15})-(\d{0,15})$/.exec(req.headers.range ?? '');
  const start = range ? Number(range[1]) : 0;
  const end = range && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
  if (range && (start >= size || start > end)) {
    res.writeHead(416, { 'content-range': `bytes */${size}` });
    res.end();
    return;
  }
  res.writeHead(range ? 206 : 200, {
    'content-type': type,
    'content-length': end - start + 1,
    'accept-ranges': 'bytes',
    'cache-control': 'no-store',
    etag: `"${sha256}"`,
    ...(range ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
  });
  // A client that goes away mid-download ends the stream; nothing else is affected.
  await pipeline(fs.createReadStream(catalog.blobs.pathOf(sha256), { start, end }), res).catch(() => res.destroy());
}
