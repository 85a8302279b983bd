// Local host mode: the desktop services in Node, the renderer in a browser tab.
// For machines where Electron cannot run. The API travels over HTTP on loopback only, and every
// call must carry the session token that was handed to the browser in the URL fragment.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import { MAX_DOCUMENT_BYTES } from '../../sfu-server/protocol/briefing';
import { ApiError, type ApiErrorCode } from '../api/contract';
import type { DesktopServices } from '../services/DesktopServices';
import { CONTENT_SECURITY_POLICY } from '../security';

// Documents travel base64-encoded in the body: room for the largest one accepted.
const MAX_BODY_BYTES = Math.ceil((MAX_DOCUMENT_BYTES * 4) / 3) + 64 * 1024;

export interface LocalHost {
  /** Open this in the browser; the fragment carries the token and never reaches a server log. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const STATUS: Record<ApiErrorCode, number> = {
  bad_input: 400,
  unknown_method: 404,
  unauthorized: 401,
  host_failed: 500,
  store_failed: 500,
  unreachable: 502,
  not_found: 404,
  document_rejected: 422,
  publish_failed: 502,
  conflict: 409,
  export_failed: 422,
  signing_failed: 422,
  server_refused: 502,
  server_unreachable: 502,
};

export async function startLocalHost(options: {
  services: DesktopServices;
  webRoot: string;
  port?: number;
  token?: string;
}): Promise<LocalHost> {
  const token = options.token ?? randomBytes(32).toString('hex');
  const expected = Buffer.from(`Bearer ${token}`);
  const serveStatic = sirv(options.webRoot, { single: true, dev: false, etag: true });

  const server = http.createServer((req, res) => {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const match = /^\/api\/([A-Za-z]+)$/.exec(req.url ?? '');
    if (!match) {
      serveStatic(req, res);
      return;
    }
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const fail = (code: ApiErrorCode, message: string, reason: string | null = null) =>
      reply(STATUS[code], { error: { code, message, reason } });
    if (req.method !== 'POST') return fail('bad_input', 'use POST');
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return fail('unauthorized', 'missing or wrong session token');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        fail('bad_input', 'request too large');
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => void answer());
    const answer = async () => {
      if (res.headersSent) return;
      let input: unknown;
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        input = text ? (JSON.parse(text) as { input?: unknown }).input : undefined;
      } catch {
        return fail('bad_input', 'body is not JSON');
      }
      try {
        reply(200, { result: (await options.services.call(match[1], input)) ?? null });
      } catch (error) {
        if (error instanceof ApiError) fail(error.code, error.message, error.reason);
        else fail('store_failed', error instanceof Error ? error.message : String(error));
      }
    };
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://localhost:${port}/#token=${token}`,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
