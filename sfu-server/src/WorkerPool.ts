// One mediasoup worker per core, each with its own WebRtcServer: all media of a worker goes
// through one UDP+TCP port, so a firewall needs a single rule per worker.
import dgram from 'node:dgram';
import { EventEmitter } from 'node:events';
import { messageOf } from '../../lib/errors';
import net from 'node:net';
import type { types } from 'mediasoup';
import type { SfuConfig } from './config';
import { SfuError } from './errors';
import { loadMediasoup } from './mediasoupLoader';
import { MEDIA_CODECS } from './RouterSet';

export interface PooledWorker {
  index: number;
  worker: types.Worker;
  webRtcServer: types.WebRtcServer;
}

export class WorkerPool extends EventEmitter<{ workerReplaced: [index: number]; error: [Error] }> {
  private readonly slots: PooledWorker[] = [];
  private next = 0;
  private closed = false;
  private capabilities: Promise<types.RtpCapabilities> | undefined;

  private constructor(private readonly config: SfuConfig) {
    super();
  }

  static async start(config: SfuConfig): Promise<WorkerPool> {
    const pool = new WorkerPool(config);
    for (let i = 0; i < config.workers; i++) pool.slots.push(await pool.startWorker(i));
    return pool;
  }

  /** Round-robin over live workers, so briefings spread over the cores; `excluding` names
   * workers (by index) a briefing already uses. */
  pick(excluding: ReadonlySet<number> = new Set()): PooledWorker | undefined {
    for (let tries = 0; tries < this.slots.length; tries++) {
      const slot = this.slots[this.next++ % this.slots.length];
      if (!slot.worker.died && !slot.worker.closed && !excluding.has(slot.index)) return slot;
    }
    return undefined;
  }

  /** The routers' RTP capabilities, which follow from the codecs alone: learnt once from a router
   * made and closed at once, so answering a point that asks opens nothing that stays. */
  rtpCapabilities(): Promise<types.RtpCapabilities> {
    this.capabilities ??= (async () => {
      const slot = this.pick();
      if (!slot) throw new SfuError('internal', 'the media server is restarting; try again in a moment', { reason: 'restarting' });
      const router = await slot.worker.createRouter({ mediaCodecs: MEDIA_CODECS });
      const capabilities = router.rtpCapabilities;
      router.close();
      return capabilities;
    })().catch((error: unknown) => {
      this.capabilities = undefined;
      throw error;
    });
    return this.capabilities;
  }

  get size(): number {
    return this.slots.length;
  }

  workerPids(): number[] {
    return this.slots.map((s) => s.worker.pid);
  }

  /** How many briefing routers each worker runs: shows how briefings are spread over the cores. */
  async routerCounts(): Promise<number[]> {
    return Promise.all(this.slots.map(async (s) => (s.worker.closed ? 0 : ((await s.worker.dump()) as { routerIds: string[] }).routerIds.length)));
  }

  /** The ports media arrives on, one per worker. */
  mediaPorts(): number[] {
    return this.slots.map((s) => s.webRtcServer.appData.port as number);
  }

  close(): void {
    this.closed = true;
    for (const slot of this.slots) slot.worker.close();
  }

  private async startWorker(index: number): Promise<PooledWorker> {
    const mediasoup = await loadMediasoup();
    const worker = await mediasoup.createWorker({ logLevel: this.config.logLevel });
    // A port we chose ourselves was free when probed, but any program (an outgoing connection's
    // ephemeral port, another server starting) may take it before the worker binds: choose again.
    // A port the IT officer set is theirs to mend, so its failure is said at once.
    const tries = this.config.mediaPort === 0 ? 5 : 1;
    for (let attempt = 1; ; attempt++) {
      const port = this.config.mediaPort === 0 ? await freePort() : this.config.mediaPort + index;
      const listenInfos = this.config.mediaAddresses.flatMap(({ ip, announcedIp }) =>
        (['udp', 'tcp'] as const).map((protocol) => ({ protocol, ip, announcedIp, port })),
      );
      try {
        const webRtcServer = await worker.createWebRtcServer({ listenInfos });
        webRtcServer.appData.port = port;
        worker.on('died', (error) => void this.replace(index, error));
        return { index, worker, webRtcServer };
      } catch (error) {
        if (attempt < tries && /in use/i.test(messageOf(error))) continue;
        worker.close();
        throw new Error(`cannot listen for media on port ${port}: ${messageOf(error)}`, { cause: error });
      }
    }
  }

  private async replace(index: number, cause: Error): Promise<void> {
    if (this.closed) return;
    console.error(`[sfu] mediasoup worker ${index} died (${cause.message}); starting a new one`);
    try {
      this.slots[index] = await this.startWorker(index);
      this.emit('workerReplaced', index);
    } catch (error) {
      this.emit('error', error as Error);
    }
  }
}

/** A port free for both TCP and UDP, so that "port 0" still means one port for all media. */
async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const probe = net.createServer().once('error', reject);
      probe.listen(0, () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = dgram.createSocket('udp4').once('error', () => resolve(false));
      socket.bind(port, () => socket.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('no free media port found');
}
