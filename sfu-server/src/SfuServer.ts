// The SFU server: HTTP for health, WebSocket signaling, and the briefings (rooms) it hosts.
// Used by the standalone `npm run sfu` and, embedded, by the desktop app's host mode.
import { Assignments } from './followUp/Assignments';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_MESSAGE_BYTES, PROTOCOL_VERSION } from '../protocol';
import { type PublishedBriefing, invitedSeats } from '../protocol/briefing';
import { Catalog } from './catalog/Catalog';
import { handleCatalogRequest } from './catalog/catalogHttp';
import { SfuConfig, type SfuConfigInput } from './config';
import { watchStalls } from './stallWatch';
import { AuditLog } from './access/AuditLog';
import { CredentialAttempts } from './access/CredentialAttempts';
import { Invitations } from './access/Invitations';
import { Enrolments, pointKey } from './access/Enrolments';
import { CascadeLinks } from './cascade/CascadeLinks';
import { Organizers } from './access/Organizers';
import { BriefingDirectory } from './BriefingDirectory';
import { Connection } from './Connection';
import { type Clock, systemClock } from './clock';
import { Gate, requestUrl, sendError, sendJson } from './http/Gate';
import { TokenBucket } from './limits/TokenBucket';
import { reachableAddresses } from './addresses';
import { ensureTlsFiles, reissueIfNeeded } from './tls';
import { TimeStamps } from './tsa/TimeStamps';
import { WorkerPool } from './WorkerPool';

/** Frames above this are refused by ws itself (connection closed with 1009). Between
 * MAX_MESSAGE_BYTES and this, the server answers with a `too_large` error and keeps the socket. */
const HARD_FRAME_LIMIT = 16 * MAX_MESSAGE_BYTES;

export interface SfuServer {
  /** ws://host:port (wss:// with TLS) of the signaling endpoint, as reachable from this machine. */
  readonly url: string;
  /** With TLS and a loopback port: plain ws://127.0.0.1:port for the app on this same PC. */
  readonly loopbackUrl: string | null;
  /** With TLS: the CA certificate meeting points install, and its SHA-256 fingerprint. */
  readonly tls: { caCertFile: string | null; caFingerprint: string | null } | null;
  readonly port: number;
  readonly pool: WorkerPool;
  readonly catalog: Catalog;
  readonly invitations: Invitations;
  readonly organizers: Organizers;
  readonly audit: AuditLog;
  /** The upper briefings this server relays to its communes (cascade). */
  readonly cascade: CascadeLinks;
  roomCount(): number;
  close(): Promise<void>;
}

/** What is not a setting: the clock every module stamps and compares dates with. */
export interface SfuServerDeps {
  now?: Clock;
}

/** The signaling port could not be opened; `code` says why in a way the app can word. */
export class ListenError extends Error {
  readonly code: 'port_in_use' | 'address_unavailable' | 'not_permitted' | 'other';
  constructor(cause: NodeJS.ErrnoException, host: string, port: number) {
    const code = cause.code === 'EADDRINUSE' ? 'port_in_use' : cause.code === 'EADDRNOTAVAIL' ? 'address_unavailable' : cause.code === 'EACCES' ? 'not_permitted' : 'other';
    const why = {
      port_in_use: `port ${port} is already in use by another program (another Giao Ban server?); stop it or choose another port`,
      address_unavailable: `${host} is not an address of this machine`,
      not_permitted: `this user may not open port ${port}; choose a port above 1024`,
      other: cause.message,
    }[code];
    super(`cannot listen for signaling on ${host}:${port}: ${why}`);
    this.code = code;
  }
}

export async function startSfuServer(input: SfuConfigInput = {}, { now = systemClock }: SfuServerDeps = {}): Promise<SfuServer> {
  const config = SfuConfig.parse(input);
  const pool = await WorkerPool.start(config);
  pool.on('error', (error) => console.error('[sfu] could not replace a mediasoup worker:', error.message));
  const catalog = await Catalog.open(config.dataDir, now);
  const invitations = new Invitations(catalog.db, now);
  const audit = new AuditLog(catalog.db, now, config.maxAuditRows);
  const organizers = new Organizers(catalog.db, now);
  const assignments = new Assignments(catalog.db, now);
  const enrolments = new Enrolments(catalog.db, now);
  const attempts = new CredentialAttempts(audit, {
    freeFailures: config.credentialFreeFailures,
    firstDelayMs: 1000,
    maxDelayMs: config.credentialMaxBackoffS * 1000,
    forgetAfterMs: 10 * 60_000,
  });
  const rooms = new BriefingDirectory(pool, catalog, invitations, audit, config, now, async (briefingCode, code) => {
    const enrolled = await enrolments.lookup(code);
    if (enrolled === null || enrolled === 'withdrawn') return enrolled;
    const briefing = await catalog.latest(briefingCode);
    if (!briefing || (await organizers.ownerOf(briefingCode)) !== enrolled.organizerId) return null;
    const seat = invitedSeats(briefing).find((s) => s.role === 'point' && pointKey(s.name) === enrolled.pointKey);
    if (!seat) return null;
    await enrolments.openSeat(enrolled, code, briefingCode, seat.name);
    return { seat: seat.name };
  });
  const timeStamps = TimeStamps.open(path.join(config.dataDir, 'tsa'), now);
  const cascade = new CascadeLinks(catalog.db, now);
  // A new version, published here or brought from an upper briefing: the briefing's rules follow
  // it and every point present is told.
  const briefingPublished = (briefing: PublishedBriefing) => {
    rooms.republished(briefing);
    void rooms.running(briefing.code).then((room) => room?.announce('briefingUpdated', { code: briefing.code, version: briefing.version, changes: briefing.changes }));
  };

  const tlsNames = () => [
    ...new Set([...config.mediaAddresses.flatMap((a) => [a.ip, a.announcedIp ?? a.ip]), ...reachableAddresses()].filter((ip) => !['0.0.0.0', '::'].includes(ip))),
  ];
  const tls = config.tlsDir ? ensureTlsFiles(config.tlsDir, tlsNames()) : null;
  const gate = new Gate(config);
  const handler = gate.requests(async (req, res) => {
    const url = requestUrl(req);
    if (!url) return sendError(res, 400, 'bad_request', 'the request URL cannot be read');
    const handled = await handleCatalogRequest({ now, catalog, invitations, organizers, assignments, enrolments, audit, attempts, timeStamps }, url, req, res, {
      briefingPublished,
      recordPublished: (record) =>
        void rooms
          .running(record.briefingCode)
          .then((room) => room?.announce('recordPublished', { briefingCode: record.briefingCode, kind: record.kind })),
    });
    if (handled) return;
    // The CA is public: a meeting point compares its fingerprint with the one in its invitation
    // and pins it, rather than installing it in the operating system.
    if (url.pathname === '/ca.crt' && tls?.caCertFile) {
      const pem = await fs.promises.readFile(tls.caCertFile);
      res.writeHead(200, { 'content-type': 'application/x-pem-file', 'content-length': pem.length, 'cache-control': 'no-store' });
      return void res.end(pem);
    }
    if (url.pathname === '/health') {
      return sendJson(res, 200, { ok: true, protocol: PROTOCOL_VERSION, workers: pool.size, mediaPorts: pool.mediaPorts(), routersPerWorker: await pool.routerCounts() });
    }
    sendError(res, 404, 'not_found', 'Giao Ban SFU: connect with WebSocket');
  });
  const httpsServer = tls ? https.createServer({ ...gate.serverOptions(), key: tls.key, cert: tls.cert }, handler) : null;
  const httpServer = httpsServer ?? http.createServer(gate.serverOptions(), handler);
  // With TLS, the app on this same PC (host mode) may speak plain WS over loopback: nothing of it
  // leaves the PC, and its window and services need not trust the CA made for the communes.
  const loopbackServer = tls && config.loopbackPort !== undefined ? http.createServer(gate.serverOptions(), handler) : null;
  /** Pings a connection has let pass without a word back (pong or message). */
  const unanswered = new WeakMap<WebSocket, number>();
  const connections = new WeakMap<WebSocket, Connection>();
  const listeners = [httpServer, ...(loopbackServer ? [loopbackServer] : [])];
  const socketServers = listeners.map((server) => {
    gate.watch(server, server === httpsServer);
    const wss = new WebSocketServer({ noServer: true, maxPayload: HARD_FRAME_LIMIT });
    server.on('upgrade', gate.upgrades((req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))));
    wss.on('error', (error) => console.error('[sfu] WebSocket server error:', error.message));
    wss.on('connection', (socket: WebSocket, req: http.IncomingMessage) => {
      const connection = new Connection(socket, rooms, attempts, {
        address: req.socket.remoteAddress ?? 'unknown',
        localAddress: req.socket.localAddress ?? config.mediaAddresses[0].ip,
        mediaAddresses: config.mediaAddresses,
        allowPlainRtp: config.allowPlainRtp,
        plainRtpAddress: config.mediaAddresses[0],
        turnUrls: config.turnUrls,
        turnSecret: config.turnSecret,
      });
      connections.set(socket, connection);
      const rate = new TokenBucket(config.maxMessagesPerSecond, config.messageBurst);
      const addressRate = gate.messageBudget(req.socket.remoteAddress ?? 'unknown');
      // Messages over the rate are not read. The first of a run is answered with the reason; a
      // connection that keeps sending regardless is closed (1008, with the reason), so a flood
      // costs its sender a new connection instead of costing the briefing its time. A run ends
      // after a second with nothing refused.
      let refusedInARow = 0;
      let lastRefused = 0;
      unanswered.set(socket, 0);
      socket.on('pong', () => unanswered.set(socket, 0));
      socket.on('message', (raw, isBinary) => {
        unanswered.set(socket, 0);
        const now = performance.now();
        if (now - lastRefused > 1000) refusedInARow = 0;
        if (!rate.take() || !addressRate.take()) {
          lastRefused = now;
          if (refusedInARow++ === 0) connection.refuseForRate(config.maxMessagesPerSecond, config.maxMessagesPerSecondPerAddress);
          if (refusedInARow > config.maxMessagesPerSecond) socket.close(1008, 'too many messages');
          return;
        }
        connection.receive(toBuffer(raw), isBinary);
      });
      socket.on('close', () => connection.closed());
      socket.on('error', () => socket.terminate());
    });
    return wss;
  });
  const allClients = () => socketServers.flatMap((wss) => [...wss.clients]);

  // A meeting point whose link died sends no close frame: drop it once it has let three pings
  // pass unanswered. Fewer would drop communes on slow 3G links whose pongs are merely late.
  // Counted in pings, not in clock time: when this server is the one held up (a join storm of
  // 200 points), the answers wait unread behind the late tick, and a clock would blame them all.
  const heartbeat = setInterval(() => {
    let dropped = 0;
    for (const socket of allClients()) {
      const connection = connections.get(socket);
      if (connection?.outsideLongerThan(config.unjoinedLimitMs)) {
        connection.closeUnjoined(config.unjoinedLimitMs);
        continue;
      }
      const missed = unanswered.get(socket) ?? 0;
      if (missed >= 3) {
        dropped++;
        socket.terminate();
      } else {
        unanswered.set(socket, missed + 1);
        socket.ping();
      }
    }
    if (dropped) console.warn(`[sfu] dropped ${dropped} connection(s) that let three pings pass unanswered`);
  }, config.heartbeatMs);

  const stopStallWatch = watchStalls();

  // An office PC's address changes with a new DHCP lease: the serving certificate follows, so
  // communes do not meet a name mismatch (reported to them as "unreachable").
  const tlsDir = config.tlsDir;
  const tlsWatch =
    httpsServer && tlsDir
      ? setInterval(() => {
          try {
            if (!reissueIfNeeded(tlsDir, tlsNames())) return;
            const renewed = ensureTlsFiles(tlsDir, tlsNames());
            httpsServer.setSecureContext({ key: renewed.key, cert: renewed.cert });
          } catch (error) {
            console.error('[sfu] could not re-issue the server certificate:', (error as Error).message);
          }
        }, config.tlsRecheckMs).unref()
      : undefined;

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  })
    .then(() => loopbackServer && new Promise<void>((resolve, reject) => loopbackServer.once('error', reject).listen(config.loopbackPort, '127.0.0.1', () => resolve())))
    .catch((error: unknown) => {
      httpServer.close();
      loopbackServer?.close();
      pool.close();
      void catalog.close();
      clearInterval(heartbeat);
      clearInterval(tlsWatch);
      stopStallWatch();
      throw new ListenError(error as NodeJS.ErrnoException, config.host, config.port);
    });
  const port = (httpServer.address() as AddressInfo).port;
  cascade.run(rooms, config.mediaAddresses, { catalog, published: briefingPublished });
  const reachableHost = ['::', '0.0.0.0'].includes(config.host) ? 'localhost' : config.host;
  const hostInUrl = reachableHost.includes(':') ? `[${reachableHost}]` : reachableHost;

  return {
    url: `${tls ? 'wss' : 'ws'}://${hostInUrl}:${port}`,
    loopbackUrl: loopbackServer ? `ws://127.0.0.1:${(loopbackServer.address() as AddressInfo).port}` : null,
    tls: tls && { caCertFile: tls.caCertFile, caFingerprint: tls.caFingerprint },
    port,
    pool,
    catalog,
    invitations,
    organizers,
    audit,
    cascade,
    roomCount: () => rooms.roomCount,
    async close() {
      clearInterval(heartbeat);
      clearInterval(tlsWatch);
      stopStallWatch();
      cascade.stop();
      await rooms.closeAll();
      for (const socket of allClients()) socket.terminate();
      for (const wss of socketServers) await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      if (loopbackServer) await new Promise<void>((resolve) => loopbackServer.close(() => resolve()));
      pool.close();
      await catalog.close();
    },
  };
}

function toBuffer(raw: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(raw)) return raw;
  if (Array.isArray(raw)) return Buffer.concat(raw);
  return Buffer.from(raw);
}
