// The desktop's one way to the server's catalog: requests built from the shared route table,
// every answer validated against it, a refusal carried with the server's reason code, and an
// unreachable server told apart from a refusal.
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';
import { type ServerAddressProblem, serverAddressProblem } from '../../api/serverAddress';
import {
  type CatalogErrorCode,
  CatalogErrorBody,
  type CatalogRoute,
  type RouteAnswer,
  type RouteBody,
  type RouteParams,
  catalogRoutes,
  routePath,
} from '../../../sfu-server/protocol/catalog';

export class CatalogRequestError extends Error {
  constructor(
    /** `unreachable` when no answer came; `certificate` when the server answered with a
     * certificate this PC does not trust (or made for another address); otherwise its reason. */
    readonly code: 'unreachable' | 'certificate' | 'bad_answer' | ServerAddressProblem | CatalogErrorCode,
    readonly status: number,
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

/** OpenSSL's and Node's codes for a certificate that does not check out. */
const CERTIFICATE_PROBLEMS = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_SIGNATURE_FAILURE', 'CERT_UNTRUSTED',
  'CERT_REVOKED', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** A request that got no answer: a certificate problem is told as one, never as a server down. */
function unreached(error: unknown): CatalogRequestError {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : '';
  if (CERTIFICATE_PROBLEMS.has(code)) {
    return new CatalogRequestError('certificate', 0, `the server's certificate is not trusted on this PC or not made for this address (${code})`);
  }
  return new CatalogRequestError('unreachable', 0, `cannot reach the server: ${(error as Error).message}`);
}

/** Whether the server answers at this address over a connection this PC trusts: what a failed
 * join is checked with, since the page's WebSocket says nothing of why it failed. */
export async function probeServer(serverUrl: string): Promise<'ok' | 'certificate' | 'unreachable'> {
  try {
    await fetchTrusted(`${catalogBase(serverUrl)}/health`, { signal: AbortSignal.timeout(5000) });
    return 'ok';
  } catch (error) {
    return unreached(error).code === 'certificate' ? 'certificate' : 'unreachable';
  }
}

/** Connections to servers whose CA this PC pinned (ServerTrust owns the list): trusted by that CA
 * as well as the system's roots, so no root certificate needs installing in the OS. */
const pinnedAgents = new Map<string, Agent>();

export function usePinnedCas(pins: { hostname: string; caPem: string }[]): void {
  pinnedAgents.clear();
  for (const pin of pins) pinnedAgents.set(pin.hostname, new Agent({ connect: { ca: [...tls.rootCertificates, pin.caPem] } }));
}

/** fetch, through the pinned CA's connection when this host has one. */
async function fetchTrusted(url: string, init: RequestInit): Promise<Response> {
  const agent = pinnedAgents.get(new URL(url).hostname);
  if (!agent) return fetch(url, init);
  // undici's own fetch takes its Agent; its Response is the one Node's fetch returns.
  const { body, headers, method, signal } = init;
  return (await undiciFetch(url, { body: body as Uint8Array | string | undefined, headers: headers as Record<string, string> | undefined, method, signal: signal ?? undefined, dispatcher: agent })) as unknown as Response;
}

/** The fingerprint of the server's CA, read over a connection this PC trusts (to put in the
 * invitations it hands out); null for a server without TLS or one it cannot reach. */
export async function trustedServerCaFingerprint(serverUrl: string): Promise<string | null> {
  if (new URL(serverUrl).protocol !== 'wss:') return null;
  try {
    const response = await fetchTrusted(`${catalogBase(serverUrl)}/ca.crt`, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) return null;
    return new X509Certificate(await response.text()).fingerprint256.toUpperCase();
  } catch {
    return null;
  }
}

/** ws://host:port (what operators enter) → http://host:port (where the catalog is). */
export function catalogBase(serverUrl: string): string {
  const url = new URL(serverUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  return url.origin;
}

type JsonRoute = { [R in CatalogRoute]: (typeof catalogRoutes)[R]['answer'] extends { kind: 'json' } ? R : never }[CatalogRoute];

export interface CatalogCall<R extends CatalogRoute> {
  params: RouteParams<R>;
  /** An organizer key or an invite code. */
  token: string;
  body?: RouteBody<R>;
  timeoutMs?: number;
}

async function refusal(response: Response): Promise<CatalogRequestError> {
  const parsed = CatalogErrorBody.safeParse(await response.json().catch(() => null));
  if (parsed.success) return new CatalogRequestError(parsed.data.error.code, response.status, parsed.data.error.message, parsed.data.error.details);
  return new CatalogRequestError('bad_answer', response.status, `the server answered ${response.status}`);
}

/** Sends a request and returns the raw response of a successful one (documents stream from it). */
export async function catalogFetch<R extends CatalogRoute>(
  serverUrl: string,
  route: R,
  call: CatalogCall<R> & { headers?: Record<string, string>; rawBody?: Uint8Array<ArrayBuffer>; signal?: AbortSignal },
): Promise<Response> {
  const spec = catalogRoutes[route];
  const headers: Record<string, string> = { authorization: `Bearer ${call.token}`, ...call.headers };
  let body: BodyInit | undefined;
  if (spec.body?.kind === 'json') {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(call.body);
  } else if (call.rawBody) body = call.rawBody;
  // Codes and keys ride in every request: never in clear text to another machine.
  const problem = serverAddressProblem(serverUrl);
  if (problem) throw new CatalogRequestError(problem, 0, problem === 'plain_remote' ? `a server on another machine is reached only over wss:// (${serverUrl})` : `not a server address: ${serverUrl}`);
  let response: Response;
  try {
    response = await fetchTrusted(`${catalogBase(serverUrl)}${routePath(route, call.params)}`, {
      method: spec.method,
      headers,
      body,
      signal: call.signal ?? AbortSignal.timeout(call.timeoutMs ?? 15_000),
    });
  } catch (error) {
    throw unreached(error);
  }
  if (!response.ok && response.status !== 206) throw await refusal(response);
  return response;
}

/** A JSON route: the answer validated against the route table. */
export async function callCatalog<R extends JsonRoute>(serverUrl: string, route: R, call: CatalogCall<R>): Promise<RouteAnswer<R>> {
  const response = await catalogFetch(serverUrl, route, call);
  const answer = catalogRoutes[route].answer;
  const parsed = answer.schema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new CatalogRequestError('bad_answer', response.status, 'the server sent an answer this app does not understand');
  return parsed.data as RouteAnswer<R>;
}
