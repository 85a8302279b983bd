// What every incoming connection passes before any handler runs: a cap on the connections one
// address holds open, the Origin of a WebSocket upgrade, the timeouts that end a slow or silent
// client, and the error boundary that turns any failure of one request into an answer for that
// request alone. Everything refused is answered with its reason.
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { TokenBucket } from '../limits/TokenBucket';

export interface GateLimits {
  maxConnectionsPerAddress: number;
  /** Messages all connections of one address may send together, a second and in a burst. */
  maxMessagesPerSecondPerAddress: number;
  messageBurstPerAddress: number;
  httpHeadersTimeoutMs: number;
  httpIdleTimeoutMs: number;
  httpRequestTimeoutMs: number;
  /** Browser origins besides the app's own that may open the signaling WebSocket. */
  allowedOrigins: string[];
}

/** Origins of the app itself: Electron's renderer (file:// sends "null"; app:// once packaged),
 * and the local host mode's page served on this PC's loopback. A client with no Origin is not a
 * browser page (a meeting point's Node services, a test peer) and cannot be driven by one. */
export function originAllowed(origin: string | undefined, extra: string[]): boolean {
  if (origin === undefined || origin === 'null' || origin === 'file://') return true;
  if (extra.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol === 'app:') return true;
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/** The request's URL, or null when it cannot be parsed (`GET //[ HTTP/1.1`). */
export function requestUrl(req: http.IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    return null;
  }
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

export function sendError(res: http.ServerResponse, status: number, code: string, message: string, details?: string[]): void {
  sendJson(res, status, { error: { code, message, ...(details ? { details } : {}) } });
}

/** Answers a refused WebSocket upgrade on the raw socket, with the reason as JSON. */
function refuseUpgrade(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  const reason = { 403: 'Forbidden', 429: 'Too Many Requests', 503: 'Service Unavailable' }[status] ?? 'Bad Request';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export class Gate {
  private readonly perAddress = new Map<string, number>();
  /** One message budget per address, shared by its connections: reconnecting buys no new burst. */
  private readonly messageBudgets = new Map<string, TokenBucket>();
  /** Sockets opened past their address's cap: their first request is answered 503 and closed. */
  private readonly overCap = new WeakSet<object>();

  constructor(private readonly limits: GateLimits) {}

  /** Options for http(s).createServer: Node checks the header and request timeouts only as often
   * as `connectionsCheckingInterval` (30 s by default), too late for a slow-headers attack. */
  serverOptions(): http.ServerOptions {
    return {
      headersTimeout: this.limits.httpHeadersTimeoutMs,
      requestTimeout: this.limits.httpRequestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, this.limits.httpHeadersTimeoutMs / 2),
    };
  }

  /** Applies the idle timeout and the per-address count to a server (plain or TLS). */
  watch(server: http.Server, tls: boolean): void {
    // A socket that sends nothing for this long is closed (WebSockets clear it on upgrade).
    server.setTimeout(this.limits.httpIdleTimeoutMs, (socket) => socket.destroy());
    const count = (socket: { remoteAddress?: string; once(event: 'close', listener: () => void): unknown }) => {
      const address = socket.remoteAddress ?? 'unknown';
      const open = (this.perAddress.get(address) ?? 0) + 1;
      this.perAddress.set(address, open);
      if (open > this.limits.maxConnectionsPerAddress) this.overCap.add(socket);
      socket.once('close', () => {
        const left = (this.perAddress.get(address) ?? 1) - 1;
        if (left > 0) this.perAddress.set(address, left);
        else this.perAddress.delete(address);
      });
    };
    // With TLS the request's socket is the TLS socket, counted once its handshake is done; a
    // handshake that never ends is bounded by the idle timeout.
    if (tls) server.on('secureConnection', (socket: TLSSocket) => count(socket));
    else server.on('connection', count);
  }

  /** The message budget of the address a connection comes from. It outlives the address's
   * connections (closing them all must not buy a fresh burst); budgets that have filled up again
   * hold nothing worth keeping and are dropped when the map grows. */
  messageBudget(address: string): TokenBucket {
    let budget = this.messageBudgets.get(address);
    if (!budget) {
      if (this.messageBudgets.size >= 10_000) {
        for (const [other, bucket] of this.messageBudgets) if (bucket.isFull()) this.messageBudgets.delete(other);
      }
      budget = new TokenBucket(this.limits.maxMessagesPerSecondPerAddress, this.limits.messageBurstPerAddress);
      this.messageBudgets.set(address, budget);
    }
    return budget;
  }

  private capMessage(): string {
    return `too many connections from this address (at most ${this.limits.maxConnectionsPerAddress})`;
  }

  /** Wraps a request handler: the per-address cap first, then the handler, whose failure is
   * logged and answered 500 without touching any other request. */
  requests(handle: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>): http.RequestListener {
    return (req, res) => {
      if (this.overCap.has(req.socket)) {
        res.shouldKeepAlive = false;
        return sendError(res, 503, 'too_many_connections', this.capMessage());
      }
      handle(req, res).catch((error: unknown) => {
        console.error(`[sfu] ${req.method} request failed:`, error);
        if (!res.headersSent) sendError(res, 500, 'internal', 'the server could not handle this request');
        else res.destroy();
      });
    };
  }

  /** Lets a WebSocket upgrade through to `accept` only from an allowed origin and within the cap. */
  upgrades(accept: (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void) {
    return (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
      socket.on('error', () => socket.destroy());
      try {
        if (this.overCap.has(req.socket)) return refuseUpgrade(socket, 503, 'too_many_connections', this.capMessage());
        if (!originAllowed(req.headers.origin, this.limits.allowedOrigins)) {
          return refuseUpgrade(socket, 403, 'bad_origin', `WebSocket connections from ${req.headers.origin} are not accepted`);
        }
        accept(req, socket, head);
      } catch (error) {
        console.error('[sfu] WebSocket upgrade failed:', error);
        refuseUpgrade(socket, 400, 'bad_request', 'could not open the WebSocket');
      }
    };
  }
}
