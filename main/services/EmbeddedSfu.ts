// Host mode: the SFU runs inside the app, so a district operator needs no server of their own.
import os from 'node:os';
import type { HostInfo } from '../api/contract';
import { startSfuServer, type SfuServer } from '../../sfu-server/src/SfuServer';

/** Addresses other meeting points may reach this PC at: every non-internal interface, plus
 * loopback so the host's own window always connects. */
export function reachableAddresses(): string[] {
  const addresses = Object.values(os.networkInterfaces())
    .flat()
    .filter((a): a is os.NetworkInterfaceInfo => !!a && !a.internal)
    .filter((a) => !(a.family === 'IPv6' && a.address.toLowerCase().startsWith('fe80')))
    .map((a) => a.address);
  return [...new Set([...addresses, '127.0.0.1'])];
}

export class EmbeddedSfu {
  private server: SfuServer | undefined;
  private starting: Promise<HostInfo> | undefined;

  constructor(private readonly options: { port?: number; mediaPort?: number; workers?: number } = {}) {}

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
