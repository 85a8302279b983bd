// Server settings, from command-line flags and environment variables, validated once at start.
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { MAX_MEDIA_ADDRESSES, reachableAddresses, withinOnePort } from './addresses';

export const DEFAULT_DATA_DIR = path.join(os.homedir(), '.local', 'share', 'giao-ban-sfu');

const MediaAddress = z
  .object({
    /** Address the media port binds to: an IPv4 or IPv6 address, 0.0.0.0 or :: for all. */
    ip: z.string().min(1),
    /** Address meeting points are told to send media to, when `ip` is not reachable as is (NAT). */
    announcedIp: z.string().min(1).optional(),
  })
  // Meeting points cannot send to "any address": a wildcard needs the address to announce.
  .refine((a) => !['0.0.0.0', '::'].includes(a.ip) || a.announcedIp, {
    error: 'a wildcard media address (0.0.0.0 or ::) needs the address to announce: 0.0.0.0@203.0.113.5',
  });

export const SfuConfig = z.object({
  /** Signaling (HTTP + WebSocket) bind address. `::` accepts IPv6 and IPv4. */
  host: z.string().default('::'),
  port: z.number().int().min(0).max(65535).default(7080),
  /** Media addresses; all share one UDP+TCP port per worker (mediasoup WebRtcServer).
   * By default the first addresses of this machine's network interfaces (the standalone server
   * then leaves out those it cannot bind: see `defaultMediaAddresses`). */
  mediaAddresses: z
    .array(MediaAddress)
    .min(1)
    .max(MAX_MEDIA_ADDRESSES, `at most ${MAX_MEDIA_ADDRESSES} media addresses: each takes a UDP and a TCP socket, and one media port has 8`)
    .default(() => withinOnePort(reachableAddresses()).chosen.map((ip) => ({ ip }))),
  /** Worker i listens on mediaPort + i; 0 lets the system pick (tests). */
  mediaPort: z.number().int().min(0).max(65535).default(40000),
  workers: z.number().int().min(1).max(64).default(Math.max(1, os.availableParallelism())),
  /** Meeting points of one briefing a worker (one core) carries before the briefing spreads to
   * another worker (pipeToRouter). The forwarding benchmark measured about 100 on one core. */
  pointsPerWorker: z.number().int().min(1).default(100),
  /** Caps: briefings running at once, meeting points connected at once (all briefings), and the
   * bitrate one point may send. A join over a cap is refused with the reason. One province's
   * server: its weekly briefing of up to 168 communes plus departments (250 points) and, beside
   * it, communes' own briefings. */
  maxBriefings: z.number().int().min(1).default(20),
  maxPoints: z.number().int().min(1).default(500),
  maxIncomingKbps: z.number().int().min(100).max(50_000).default(1500),
  /** How long the seat of a point whose link dropped is held for it (role, floor queue place). */
  seatHoldMs: z.number().int().min(1000).default(120_000),
  /** Ping interval; a connection silent for three intervals is dropped, and its peer leaves. */
  heartbeatMs: z.number().int().min(200).default(2000),
  /** A connection outside any briefing (never joined, or left) this long is closed with the
   * reason: otherwise one address could hold its whole share of connections open doing nothing.
   * Longer than the app keeps a link it opened ahead of Join (two minutes). */
  unjoinedLimitMs: z.number().int().min(200).default(180_000),
  logLevel: z.enum(['debug', 'warn', 'error', 'none']).default('warn'),
  /** Accept plain (unencrypted) RTP peers: load generators and lightweight test peers only, never
   * a production server (plain RTP has no DTLS-SRTP). */
  allowPlainRtp: z.boolean().default(false),
  /** TURN servers meeting points may relay media through (e.g. turns:turn.example:443?transport=tcp),
   * and the secret shared with them (coturn `static-auth-secret`). */
  turnUrls: z.array(z.string().regex(/^turns?:[^\s]+$/, 'a TURN address: turn:host:port or turns:host:port?transport=tcp')).default([]),
  turnSecret: z.string().min(16, 'the TURN secret needs at least 16 characters').optional(),
  /** Signaling and the catalog over TLS (WSS, HTTPS), with the key and certificate in this folder
   * (made, with a CA to install on the meeting points' PCs, on first start). Unset: plain WS,
   * for tests and behind a proxy that terminates TLS. */
  tlsDir: z.string().min(1).optional(),
  /** With TLS: how often the server checks that its certificate still names all its addresses. */
  tlsRecheckMs: z.number().int().min(100).default(60_000),
  /** With TLS: also plain WS on 127.0.0.1 at this port (0: any), for the app on the same PC. */
  loopbackPort: z.number().int().min(0).max(65535).optional(),
  /** What one meeting point may hold in a briefing: transports (send, receive, and ones being
   * replaced after a dropped link), producers (microphone, camera, one spare), and consumers
   * (this many per point in the briefing). */
  maxTransportsPerPoint: z.number().int().min(2).default(4),
  maxProducersPerPoint: z.number().int().min(2).default(3),
  consumersPerPoint: z.number().int().min(2).default(3),
  /** A media room with no one in it closes after this (a dropped point finds it still there). */
  emptyRoomMs: z.number().int().min(0).default(180_000),
  /** Uninvited points that may wait for the chair in one briefing's lobby, and from one address. */
  maxLobby: z.number().int().min(1).default(30),
  maxLobbyPerAddress: z.number().int().min(1).default(3),
  /** The audit log keeps at most this many rows; past it the oldest tenth goes (the hash chain
   * still verifies from an anchor). */
  maxAuditRows: z.number().int().min(100).default(200_000),
  /** Limits on what one client may hold or send (see the README's security section). Per address:
   * a few dozen communes may share one (a district's old network behind one NAT, a carrier's NAT
   * on 4G), each with its signaling and a catalog connection, joining in the same minute. */
  maxConnectionsPerAddress: z.number().int().min(1).default(128),
  maxMessagesPerSecond: z.number().int().min(1).default(100),
  messageBurst: z.number().int().min(1).default(1500),
  maxMessagesPerSecondPerAddress: z.number().int().min(1).default(1000),
  messageBurstPerAddress: z.number().int().min(1).default(10000),
  /** A client must send its request headers within this, send something at least this often,
   * and finish a request (a document upload included) within this. */
  httpHeadersTimeoutMs: z.number().int().min(1000).default(10_000),
  httpIdleTimeoutMs: z.number().int().min(1000).default(20_000),
  httpRequestTimeoutMs: z.number().int().min(1000).default(120_000),
  /** Wrong invite codes or organizer keys one address or connection may try before each
   * further attempt waits (doubling from 1 s up to this many seconds). */
  credentialFreeFailures: z.number().int().min(1).default(5),
  credentialMaxBackoffS: z.number().int().min(1).default(300),
  /** Browser origins besides the app's own that may open the signaling WebSocket. */
  allowedOrigins: z.array(z.url()).default([]),
  /** Where the briefing catalog (SQLite) and its document files are kept. */
  dataDir: z.string().min(1).default(DEFAULT_DATA_DIR),
});
export type SfuConfig = z.infer<typeof SfuConfig>;
export type SfuConfigInput = z.input<typeof SfuConfig>;

/** `ip` or `ip@announcedIp`, e.g. `0.0.0.0@203.0.113.5` or `::`. */
function parseMediaAddress(text: string): z.input<typeof MediaAddress> {
  const at = text.lastIndexOf('@');
  return at < 0 ? { ip: text } : { ip: text.slice(0, at), announcedIp: text.slice(at + 1) };
}

function toInt(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  return Number.isInteger(n) ? n : Number.NaN;
}

export function configFromCommandLine(argv: string[], env: NodeJS.ProcessEnv): SfuConfig {
  return readCommandLine(argv, env).config;
}

/** The settings, and whether the media addresses were named (`--media-ip`, SFU_MEDIA_IPS) or
 * left to the default. */
export function readCommandLine(argv: string[], env: NodeJS.ProcessEnv): { config: SfuConfig; mediaAddressesNamed: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'media-ip': { type: 'string', multiple: true },
      'media-port': { type: 'string' },
      workers: { type: 'string' },
      'points-per-worker': { type: 'string' },
      'log-level': { type: 'string' },
      'data-dir': { type: 'string' },
      'allow-plain-rtp': { type: 'boolean' },
      'max-briefings': { type: 'string' },
      'max-points': { type: 'string' },
      'max-incoming-kbps': { type: 'string' },
      'tls-dir': { type: 'string' },
      'insecure-ws': { type: 'boolean' },
      'turn-url': { type: 'string', multiple: true },
      'turn-secret': { type: 'string' },
      'max-connections-per-address': { type: 'string' },
      'max-messages-per-second': { type: 'string' },
      'message-burst': { type: 'string' },
      'max-messages-per-second-per-address': { type: 'string' },
      'message-burst-per-address': { type: 'string' },
      'http-headers-timeout-ms': { type: 'string' },
      'http-idle-timeout-ms': { type: 'string' },
      'http-request-timeout-ms': { type: 'string' },
      'allow-origin': { type: 'string', multiple: true },
      'credential-free-failures': { type: 'string' },
      'max-transports-per-point': { type: 'string' },
      'max-producers-per-point': { type: 'string' },
      'consumers-per-point': { type: 'string' },
      'max-lobby': { type: 'string' },
      'empty-room-ms': { type: 'string' },
      'max-audit-rows': { type: 'string' },
      'max-lobby-per-address': { type: 'string' },
      'credential-max-backoff-s': { type: 'string' },
      'heartbeat-ms': { type: 'string' },
      'unjoined-limit-ms': { type: 'string' },
    },
    strict: true,
  });
  const dataDir = values['data-dir'] ?? env.SFU_DATA_DIR;
  // TLS unless told otherwise: a standalone server is reached over the district's network.
  const insecure = values['insecure-ws'] ?? env.SFU_INSECURE_WS === '1';
  const tlsDir = insecure ? undefined : (values['tls-dir'] ?? env.SFU_TLS_DIR ?? path.join(dataDir ?? DEFAULT_DATA_DIR, 'tls'));
  const mediaIps = values['media-ip'] ?? env.SFU_MEDIA_IPS?.split(',').map((s) => s.trim()).filter(Boolean);
  const config = SfuConfig.parse({
    host: values.host ?? env.SFU_HOST,
    port: toInt(values.port ?? env.SFU_PORT),
    mediaAddresses: mediaIps?.map(parseMediaAddress),
    mediaPort: toInt(values['media-port'] ?? env.SFU_MEDIA_PORT),
    workers: toInt(values.workers ?? env.SFU_WORKERS),
    pointsPerWorker: toInt(values['points-per-worker'] ?? env.SFU_POINTS_PER_WORKER),
    logLevel: values['log-level'] ?? env.SFU_LOG_LEVEL,
    dataDir,
    tlsDir,
    turnUrls: values['turn-url'] ?? env.SFU_TURN_URLS?.split(',').map((u) => u.trim()).filter(Boolean),
    turnSecret: values['turn-secret'] ?? env.SFU_TURN_SECRET,
    allowPlainRtp: values['allow-plain-rtp'] ?? env.SFU_ALLOW_PLAIN_RTP === '1',
    maxBriefings: toInt(values['max-briefings'] ?? env.SFU_MAX_BRIEFINGS),
    maxPoints: toInt(values['max-points'] ?? env.SFU_MAX_POINTS),
    maxIncomingKbps: toInt(values['max-incoming-kbps'] ?? env.SFU_MAX_INCOMING_KBPS),
    maxConnectionsPerAddress: toInt(values['max-connections-per-address'] ?? env.SFU_MAX_CONNECTIONS_PER_ADDRESS),
    maxMessagesPerSecond: toInt(values['max-messages-per-second'] ?? env.SFU_MAX_MESSAGES_PER_SECOND),
    messageBurst: toInt(values['message-burst'] ?? env.SFU_MESSAGE_BURST),
    maxMessagesPerSecondPerAddress: toInt(values['max-messages-per-second-per-address'] ?? env.SFU_MAX_MESSAGES_PER_SECOND_PER_ADDRESS),
    messageBurstPerAddress: toInt(values['message-burst-per-address'] ?? env.SFU_MESSAGE_BURST_PER_ADDRESS),
    httpHeadersTimeoutMs: toInt(values['http-headers-timeout-ms'] ?? env.SFU_HTTP_HEADERS_TIMEOUT_MS),
    httpIdleTimeoutMs: toInt(values['http-idle-timeout-ms'] ?? env.SFU_HTTP_IDLE_TIMEOUT_MS),
    httpRequestTimeoutMs: toInt(values['http-request-timeout-ms'] ?? env.SFU_HTTP_REQUEST_TIMEOUT_MS),
    maxTransportsPerPoint: toInt(values['max-transports-per-point'] ?? env.SFU_MAX_TRANSPORTS_PER_POINT),
    maxProducersPerPoint: toInt(values['max-producers-per-point'] ?? env.SFU_MAX_PRODUCERS_PER_POINT),
    consumersPerPoint: toInt(values['consumers-per-point'] ?? env.SFU_CONSUMERS_PER_POINT),
    maxLobby: toInt(values['max-lobby'] ?? env.SFU_MAX_LOBBY),
    emptyRoomMs: toInt(values['empty-room-ms'] ?? env.SFU_EMPTY_ROOM_MS),
    maxAuditRows: toInt(values['max-audit-rows'] ?? env.SFU_MAX_AUDIT_ROWS),
    maxLobbyPerAddress: toInt(values['max-lobby-per-address'] ?? env.SFU_MAX_LOBBY_PER_ADDRESS),
    credentialFreeFailures: toInt(values['credential-free-failures'] ?? env.SFU_CREDENTIAL_FREE_FAILURES),
    credentialMaxBackoffS: toInt(values['credential-max-backoff-s'] ?? env.SFU_CREDENTIAL_MAX_BACKOFF_S),
    heartbeatMs: toInt(values['heartbeat-ms'] ?? env.SFU_HEARTBEAT_MS),
    unjoinedLimitMs: toInt(values['unjoined-limit-ms'] ?? env.SFU_UNJOINED_LIMIT_MS),
    allowedOrigins: values['allow-origin'] ?? env.SFU_ALLOWED_ORIGINS?.split(',').map((o) => o.trim()).filter(Boolean),
  });
  return { config, mediaAddressesNamed: mediaIps !== undefined };
}
