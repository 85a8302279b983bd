// HTTP routes of the catalog, on the SFU server's port:
//   PUT  /catalog/documents/:sha256   upload a document (Content-Type: its type)
//   GET  /catalog/documents/:sha256   download, with Range for resuming
//   POST /catalog/briefings           publish a briefing (JSON BriefingDraft); a new version needs
//                                     the chair code (Authorization: Bearer); answers the new invite codes
//   GET  /catalog/briefings?point=…   upcoming briefings, latest versions
//   GET  /catalog/briefings/:code     latest version of one briefing
//   POST /catalog/records             issue signed minutes or a conclusions notice (JSON RecordNotice;
//                                     Authorization: Bearer, the chair's or secretary's code)
//   GET  /catalog/records?point=…     the records addressed to one meeting point
//   GET  /catalog/audit/:code         the briefing's audit log (the chair's or secretary's code)
import fs from 'node:fs';
import type http from 'node:http';
import { z } from 'zod';
import {
  BriefingDraft,
  DOCUMENT_TYPES,
  type DocumentMimeType,
  MAX_DOCUMENT_BYTES,
  type PublishedBriefing,
  type PublishedRecord,
  RecordNotice,
  invitedSeats,
  Sha256,
} from '../../protocol/briefing';
import type { AuditLog } from '../access/AuditLog';
import type { Invitations } from '../access/Invitations';
import { BlobError } from './BlobStore';
import { type Catalog, CatalogError } from './Catalog';

interface CatalogServices {
  catalog: Catalog;
  invitations: Invitations;
  audit: AuditLog;
}

/** Who may issue a briefing's records and read its audit log. */
const CHAIR_OR_SECRETARY: (string | null)[] = ['chair', 'secretary'];

function bearer(req: http.IncomingMessage): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1].trim();
}

const MAX_BRIEFING_JSON_BYTES = 1024 * 1024;

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
const fail = (res: http.ServerResponse, status: number, code: string, message: string, details?: string[]) =>
  send(res, status, { error: { code, message, ...(details ? { details } : {}) } });

async function readJson(req: http.IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BlobError('too_large', `body over ${limit} bytes`);
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** Reads and validates a JSON body; answers the error itself and returns null when it is bad. */
async function readBody<T>(req: http.IncomingMessage, res: http.ServerResponse, schema: z.ZodType<T>): Promise<T | null> {
  let body: unknown;
  try {
    body = await readJson(req, MAX_BRIEFING_JSON_BYTES);
  } catch (error) {
    if (error instanceof BlobError) fail(res, 413, 'too_large', error.message);
    else fail(res, 400, 'bad_json', 'body is not JSON');
    return null;
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    fail(res, 400, 'bad_request', z.prettifyError(parsed.error));
    return null;
  }
  return parsed.data;
}

/** Handles /catalog/… requests; returns false for any other path. */
export async function handleCatalogRequest(
  { catalog, invitations, audit }: CatalogServices,
  url: URL,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  events: { briefingPublished: (briefing: PublishedBriefing) => void; recordPublished: (record: PublishedRecord) => void },
): Promise<boolean> {
  let parts: string[];
  try {
    parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return fail(res, 400, 'bad_request', 'the request path has a bad % escape'), true;
  }
  if (parts[0] !== 'catalog') return false;
  try {
    if (parts[1] === 'documents' && parts.length === 3) {
      const sha = Sha256.safeParse(parts[2]);
      if (!sha.success) return fail(res, 400, 'bad_request', 'not a SHA-256'), true;
      if (req.method === 'PUT') await upload(catalog, sha.data, req, res);
      else if (req.method === 'GET' || req.method === 'HEAD') await download(catalog, sha.data, req, res);
      else fail(res, 405, 'bad_request', 'use GET or PUT');
      return true;
    }
    if (parts[1] === 'briefings' && parts.length === 2 && req.method === 'POST') {
      const draft = await readBody(req, res, BriefingDraft);
      if (!draft) return true;
      // A briefing's first publisher becomes its chair; a new version needs the chair's code.
      const token = bearer(req);
      if ((await catalog.latest(draft.code)) && (await invitations.roleOf(draft.code, token)) !== 'chair') {
        await audit.write({ briefingCode: draft.code, actor: req.socket.remoteAddress ?? 'unknown', action: 'publish_refused', subject: draft.code, detail: token ? 'not the chair code' : 'no chair code' });
        return fail(res, 403, 'forbidden', 'publishing a new version of this briefing needs its chair code'), true;
      }
      const published = await catalog.publish(draft);
      const credentials = await invitations.issueFor(published.code, invitedSeats(published).map((s) => ({ seat: s.name, role: s.role })));
      await audit.write({ briefingCode: published.code, actor: draft.hostUnit, action: 'published', subject: `version ${published.version}`, detail: `${credentials.length} invite codes issued` });
      events.briefingPublished(published);
      send(res, 201, { ...published, credentials });
      return true;
    }
    if (parts[1] === 'records' && parts.length === 2 && req.method === 'POST') {
      const notice = await readBody(req, res, RecordNotice);
      if (!notice) return true;
      if (!CHAIR_OR_SECRETARY.includes(await invitations.roleOf(notice.briefingCode, bearer(req)))) {
        return fail(res, 403, 'forbidden', "issuing a record needs the briefing's chair or secretary code"), true;
      }
      const record = await catalog.publishRecord(notice);
      events.recordPublished(record);
      send(res, 201, record);
      return true;
    }
    if (parts[1] === 'audit' && parts.length === 3 && req.method === 'GET') {
      const code = parts[2];
      if (!CHAIR_OR_SECRETARY.includes(await invitations.roleOf(code, bearer(req)))) {
        return fail(res, 403, 'forbidden', "reading the audit log needs the briefing's chair or secretary code"), true;
      }
      send(res, 200, await audit.forBriefing(code));
      return true;
    }
    if (parts[1] === 'records' && parts.length === 2 && req.method === 'GET') {
      const point = url.searchParams.get('point');
      if (!point) return fail(res, 400, 'bad_request', 'name the meeting point: ?point=…'), true;
      send(res, 200, await catalog.recordsFor(point));
      return true;
    }
    if (parts[1] === 'briefings' && parts.length === 2 && req.method === 'GET') {
      send(res, 200, await catalog.upcoming(url.searchParams.get('point') ?? undefined));
      return true;
    }
    if (parts[1] === 'briefings' && parts.length === 3 && req.method === 'GET') {
      const briefing = await catalog.latest(parts[2]);
      if (!briefing) return fail(res, 404, 'not_found', 'no such briefing'), true;
      send(res, 200, briefing);
      return true;
    }
    fail(res, 404, 'not_found', 'no such catalog resource');
    return true;
  } catch (error) {
    if (error instanceof CatalogError) return fail(res, 409, error.code, error.message, error.details), true;
    if (!res.headersSent) fail(res, 500, 'internal', (error as Error).message);
    return true;
  }
}

async function upload(catalog: Catalog, sha256: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const mimeType = (req.headers['content-type'] ?? '').split(';')[0].trim();
  if (!(mimeType in DOCUMENT_TYPES)) {
    return fail(res, 415, 'bad_type', `accepted types: ${Object.keys(DOCUMENT_TYPES).join(', ')}`);
  }
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > MAX_DOCUMENT_BYTES) return fail(res, 413, 'too_large', `documents are limited to ${MAX_DOCUMENT_BYTES} bytes`);
  let name: string;
  try {
    name = decodeURIComponent(String(req.headers['x-document-name'] ?? sha256)).slice(0, 200) || sha256;
  } catch {
    return fail(res, 400, 'bad_request', 'X-Document-Name has a bad % escape');
  }
  try {
    const { size } = await catalog.blobs.put(req, { sha256, mimeType, maxBytes: MAX_DOCUMENT_BYTES });
    await catalog.recordDocument({ sha256, name, mimeType: mimeType as DocumentMimeType, size });
    send(res, 201, { sha256, size });
  } catch (error) {
    if (!(error instanceof BlobError)) throw error;
    const status = { too_large: 413, empty: 400, hash_mismatch: 400, bad_type: 415, disk_full: 507, io: 500 }[error.code];
    fail(res, status, error.code, error.message);
  }
}

async function download(catalog: Catalog, sha256: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (!catalog.blobs.has(sha256)) return fail(res, 404, 'not_found', 'no such document');
  const size = catalog.blobs.size(sha256);
  const type = (await catalog.documentType(sha256)) ?? 'application/octet-stream';
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
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
    etag: `"${sha256}"`,
    ...(range ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
  });
  if (req.method === 'HEAD') return void res.end();
  fs.createReadStream(catalog.blobs.pathOf(sha256), { start, end }).pipe(res);
}
