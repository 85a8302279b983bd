// Host mode: the SFU runs inside the app, so a district operator needs no server of their own.
// Communes reach it over TLS (a CA made in the app's data folder, which they install once); this
// PC's own window and services use a plain loopback listener, which never leaves the PC.
import path from 'node:path';
import type { HostInfo } from '../api/contract';
import { reachableAddresses } from '../../sfu-server/src/addresses';
import { startSfuServer, type SfuServer } from '../../sfu-server/src/SfuServer';

export class EmbeddedSfu {
  private server: SfuServer | undefined;
  private starting: Promise<HostInfo> | undefined;

  constructor(
    private readonly options: { dataDir: string; port?: number; loopbackPort?: number; mediaPort?: number; workers?: number },
    private readonly now: () => Date,
  ) {}

  start(): Promise<HostInfo> {
    this.starting ??= this.doStart().catch((error) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  private async doStart(): Promise<HostInfo> {
    const addresses = reachableAddresses();
    this.server = await startSfuServer({
      host: '::',
      port: this.options.port ?? 7080,
      mediaAddresses: addresses.map((ip) => ({ ip })),
      mediaPort: this.options.mediaPort ?? 40000,
      workers: this.options.workers ?? 1,
      dataDir: this.options.dataDir,
      tlsDir: path.join(this.options.dataDir, 'tls'),
      loopbackPort: this.options.loopbackPort ?? 0,
    }, { now: this.now });
    const urls = addresses.filter((a) => a !== '127.0.0.1' && a !== '::1').map((a) => `wss://${a.includes(':') ? `[${a}]` : a}:${this.server!.port}`);
    return {
      serverUrl: this.server.loopbackUrl!,
      addresses: urls,
      caCertFile: this.server.tls?.caCertFile ?? null,
      caFingerprint: this.server.tls?.caFingerprint ?? null,
    };
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.starting = undefined;
    await server?.close();
  }
}
