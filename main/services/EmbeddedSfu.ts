// Host mode: the SFU runs inside the app, so a district operator needs no server of their own.
import type { HostInfo } from '../api/contract';
import { reachableAddresses } from '../../sfu-server/src/addresses';
import { startSfuServer, type SfuServer } from '../../sfu-server/src/SfuServer';

export class EmbeddedSfu {
  private server: SfuServer | undefined;
  private starting: Promise<HostInfo> | undefined;

  constructor(private readonly options: { dataDir: string; port?: number; mediaPort?: number; workers?: number }) {}

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
    });
    const lan = addresses.find((a) => a !== '127.0.0.1' && !a.includes(':')) ?? 'localhost';
    const urls = addresses.map((a) => `ws://${a.includes(':') ? `[${a}]` : a}:${this.server!.port}`);
    return { serverUrl: `ws://${lan}:${this.server.port}`, addresses: urls };
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.starting = undefined;
    await server?.close();
  }
}
