// The SFU server: HTTP for health, WebSocket signaling, and the briefings (rooms) it hosts.
// Used by the standalone `npm run sfu` and, embedded, by the desktop app's host mode.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_MESSAGE_BYTES, PROTOCOL_VERSION } from '../protocol';
import { Catalog } from './catalog/Catalog';
import { handleCatalogRequest } from './catalog/catalogHttp';
import { SfuConfig, type SfuConfigInput } from './config';
import { AuditLog } from './access/AuditLog';
import { Invitations } from './access/Invitations';
import { BriefingDirectory } from './BriefingDirectory';
import { Connection } from './Connection';
import { type Clock, systemClock } from './clock';
import { ensureTlsFiles } from './tls';
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
  readonly audit: AuditLog;
  roomCount(): number;
  close(): Promise<void>;
}

/** What is not a setting: the clock every module stamps and compares dates with. */
export interface SfuServerDeps {
  now?: Clock;
}

export async function startSfuServer(input: SfuConfigInput = {}, { now = systemClock }: SfuServerDeps = {}): Promise<SfuServer> {
  const config = SfuConfig.parse(input);
  const pool = await WorkerPool.start(config);
  pool.on('error', (error) => console.error('[sfu] could not replace a mediasoup worker:', error.message));
  const catalog = await Catalog.open(config.dataDir, now);
  const invitations = new Invitations(catalog.db, now);
  const audit = new AuditLog(catalog.db, now);
  const rooms = new BriefingDirectory(pool, catalog, invitations, audit, config, now);

  const tls = config.tlsDir ? ensureTlsFiles(config.tlsDir, config.mediaAddresses.flatMap((a) => [a.ip, a.announcedIp ?? a.ip]).filter((ip) => !['0.0.0.0', '::'].includes(ip))) : null;
  const handler: http.RequestListener = async (req, res) => {
    const handled = await handleCatalogRequest({ catalog, invitations, audit }, req, res, {
      briefingPublished: (briefing) => {
        rooms.republished(briefing);
        void rooms
          .running(briefing.code)
          .then((room) => room?.announce('briefingUpdated', { code: briefing.code, version: briefing.version, changes: briefing.changes }));
      },
      recordPublished: (record) =>
        void rooms
          .running(record.briefingCode)
          .then((room) => room?.announce('recordPublished', { briefingCode: record.briefingCode, kind: record.kind })),
    });
    if (handled) return;
    if (req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, protocol: PROTOCOL_VERSION, workers: pool.size, mediaPorts: pool.mediaPorts(), routersPerWorker: await pool.routerCounts() }));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Giao Ban SFU: connect with WebSocket\n');
  };
  const httpServer = tls ? https.createServer({ key: tls.key, cert: tls.cert }, handler) : http.createServer(handler);
  // With TLS, the app on this same PC (host mode) may speak plain WS over loopback: nothing of it
  // leaves the PC, and its window and services need not trust the CA made for the communes.
  const loopbackServer = tls && config.loopbackPort !== undefined ? http.createServer(handler) : null;
  const lastHeard = new WeakMap<WebSocket, number>();
  const socketServers = [httpServer, ...(loopbackServer ? [loopbackServer] : [])].map((server) => {
    const wss = new WebSocketServer({ server, maxPayload: HARD_FRAME_LIMIT });
    wss.on('connection', (socket) => {
      const connection = new Connection(socket, rooms, {
        allowPlainRtp: config.allowPlainRtp,
        plainRtpAddress: config.mediaAddresses[0],
        turnUrls: config.turnUrls,
        turnSecret: config.turnSecret,
      });
      lastHeard.set(socket, Date.now());
      socket.on('pong', () => lastHeard.set(socket, Date.now()));
      socket.on('message', (raw, isBinary) => {
        lastHeard.set(socket, Date.now());
        connection.receive(toBuffer(raw), isBinary);
      });
      socket.on('close', () => connection.closed());
      socket.on('error', () => socket.terminate());
    });
    return wss;
  });
  const allClients = () => socketServers.flatMap((wss) => [...wss.clients]);

  // A meeting point whose link died sends no close frame: drop it once it has been silent for
  // three pings. Fewer would drop communes on slow 3G links whose pongs are merely late.
  const heartbeat = setInterval(() => {
    const now = Date.now();
    for (const socket of allClients()) {
      if (now - (lastHeard.get(socket) ?? now) > 3 * config.heartbeatMs) {
        console.warn('[sfu] dropping a connection silent for three heartbeats');
        socket.terminate();
      } else socket.ping();
    }
  }, config.heartbeatMs);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  })
    .then(() => loopbackServer && new Promise<void>((resolve, reject) => loopbackServer.once('error', reject).listen(config.loopbackPort, '127.0.0.1', () => resolve())))
    .catch((error: Error) => {
      httpServer.close();
      pool.close();
      void catalog.close();
      clearInterval(heartbeat);
      throw new Error(`cannot listen for signaling on ${config.host}:${config.port}: ${error.message}`);
    });
  const port = (httpServer.address() as AddressInfo).port;
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
    audit,
    roomCount: () => rooms.roomCount,
    async close() {
      clearInterval(heartbeat);
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
