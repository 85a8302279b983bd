// Host mode: the SFU runs inside the app, so a district operator needs no server of their own.
// Communes reach it over TLS (a CA made in the app's data folder, which they install once); this
// PC's own window and services use a plain loopback listener, which never leaves the PC.
import fs from 'node:fs';
import path from 'node:path';
import type { HostInfo } from '../api/contract';
import { defaultMediaAddresses, reachableAddresses, startSfuServer, type SfuServer } from '../../sfu-server';

/** The key file of this PC's own organizer account on its embedded server: readable only by the
 * user, never sent to the renderer. */
const ORGANIZER_KEY_FILE = 'organizer.key';
const LOCAL_ORGANIZER = 'Đơn vị chủ trì trên máy này';

export interface HostedServer {
  info: HostInfo;
  organizerKey: string;
  organizerName: string;
}

export class EmbeddedSfu {
  private server: SfuServer | undefined;
  private starting: Promise<HostedServer> | undefined;
  /** The server while it runs. */
  running: HostedServer | null = null;

  constructor(
    private readonly options: { dataDir: string; port?: number; loopbackPort?: number; mediaPort?: number; workers?: number },
    private readonly now: () => Date,
  ) {}

  start(): Promise<HostedServer> {
    this.starting ??= this.doStart().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  private async doStart(): Promise<HostedServer> {
    const { usable: addresses, left } = await defaultMediaAddresses(reachableAddresses());
    for (const { ip, why } of left) console.warn(`[host] ${ip} is listed on this PC but not served on (${why}); communes cannot reach this PC there`);
    const server = await startSfuServer({
      host: '::',
      port: this.options.port ?? 7080,
      mediaAddresses: addresses.map((ip) => ({ ip })),
      mediaPort: this.options.mediaPort ?? 40000,
      workers: this.options.workers ?? 1,
      dataDir: this.options.dataDir,
      tlsDir: path.join(this.options.dataDir, 'tls'),
      // A fixed port beside the signaling one: the hosting PC's own app finds its server at the
      // same address after a restart (a random signaling port, as in tests, gets a random one).
      loopbackPort: this.options.loopbackPort ?? (this.options.port === 0 ? 0 : (this.options.port ?? 7080) + 1),
    }, { now: this.now });
    this.server = server;
    // Started with a loopback listener, so the hosting PC's own app needs no certificate.
    if (!server.loopbackUrl) throw new Error('the hosted server has no loopback listener');
    const loopbackUrl = server.loopbackUrl;
    const urls = addresses.filter((a) => a !== '127.0.0.1' && a !== '::1').map((a) => `wss://${a.includes(':') ? `[${a}]` : a}:${server.port}`);
    const organizer = await this.ownOrganizer(this.server);
    this.running = {
      info: {
        serverUrl: loopbackUrl,
        addresses: urls,
        caCertFile: this.server.tls?.caCertFile ?? null,
        caFingerprint: this.server.tls?.caFingerprint ?? null,
      },
      organizerKey: organizer.key,
      organizerName: organizer.name,
    };
    return this.running;
  }

  /** The hosting PC is its own organizer: its key is made on first start and kept in a 0600 file. */
  private async ownOrganizer(server: SfuServer): Promise<{ key: string; name: string }> {
    const file = path.join(this.options.dataDir, ORGANIZER_KEY_FILE);
    const kept = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : '';
    const valid = kept ? await server.organizers.verify(kept) : null;
    if (valid && valid !== 'withdrawn') return { key: kept, name: valid.name };
    const made = await server.organizers.add(LOCAL_ORGANIZER);
    fs.writeFileSync(file, `${made.key}\n`, { mode: 0o600 });
    return { key: made.key, name: made.name };
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.starting = undefined;
    this.running = null;
    await server?.close();
  }
}
