// The routers one briefing runs on. A briefing starts on one worker (one core); when that worker
// already carries `pointsPerWorker` of its meeting points, the next point is placed on a router on
// another worker, and streams cross between them with pipeToRouter, once per stream and router.
import type { types } from 'mediasoup';
import { SfuError } from './errors';
import type { PooledWorker, WorkerPool } from './WorkerPool';

export const MEDIA_CODECS: types.RtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, parameters: { 'x-google-start-bitrate': 300 } },
];

export interface RoomRouter {
  slot: PooledWorker;
  router: types.Router;
  points: number;
}

export class RouterSet {
  private readonly members: RoomRouter[];
  private readonly homes = new Map<string, RoomRouter>();
  private readonly piped = new Map<string, Promise<unknown>>();
  private readonly lodged = new Set<string>();
  private placing: Promise<unknown> = Promise.resolve();

  private constructor(
    first: RoomRouter,
    private readonly pool: WorkerPool,
    private readonly pointsPerWorker: number,
    private readonly onWorkerClose: () => void,
  ) {
    this.members = [first];
    first.router.on('workerclose', onWorkerClose);
  }

  static async create(pool: WorkerPool, pointsPerWorker: number, onWorkerClose: () => void): Promise<RouterSet> {
    const slot = pool.pick();
    if (!slot) throw new SfuError('internal', 'the media server is restarting; try again in a moment', { reason: 'restarting' });
    const router = await slot.worker.createRouter({ mediaCodecs: MEDIA_CODECS });
    return new RouterSet({ slot, router, points: 0 }, pool, pointsPerWorker, onWorkerClose);
  }

  /** The router the briefing started on: the active-speaker observer lives here. */
  get primary(): types.Router {
    return this.members[0].router;
  }

  get workerIndexes(): number[] {
    return this.members.map((m) => m.slot.index);
  }

  /** Gives a joining meeting point its router: the least loaded one with room, else a new one on
   * a worker the briefing does not use yet, else (every worker in use) the least loaded. */
  place(peerId: string): Promise<RoomRouter> {
    // One placement at a time, so two points joining together do not both open a new router.
    const placed = this.placing.then(async () => {
      const byLoad = [...this.members].sort((a, b) => a.points - b.points);
      let home = byLoad.find((m) => m.points < this.pointsPerWorker);
      if (!home) {
        const slot = this.pool.pick(new Set(this.workerIndexes));
        if (slot) {
          const router = await slot.worker.createRouter({ mediaCodecs: MEDIA_CODECS });
          router.on('workerclose', this.onWorkerClose);
          home = { slot, router, points: 0 };
          this.members.push(home);
        } else home = byLoad[0];
      }
      home.points++;
      this.homes.set(peerId, home);
      return home;
    });
    this.placing = placed.catch(() => undefined);
    return placed;
  }

  /** A point of the upper briefing lives where the relay link's pipe arrives (the primary
   * router) and, holding no transport of its own, does not count against a worker's points. */
  lodge(peerId: string): void {
    this.homes.set(peerId, this.members[0]);
    this.lodged.add(peerId);
  }

  home(peerId: string): RoomRouter {
    const home = this.homes.get(peerId);
    if (!home) throw new SfuError('not_joined', 'join the briefing first');
    return home;
  }

  release(peerId: string): void {
    const home = this.homes.get(peerId);
    if (!home) return;
    if (!this.lodged.delete(peerId)) home.points--;
    this.homes.delete(peerId);
  }

  /** Makes a stream produced on `from` consumable on `to` (a no-op on the same router). */
  async bring(producerId: string, from: RoomRouter, to: types.Router): Promise<void> {
    if (from.router === to) return;
    const key = `${producerId}>${to.id}`;
    let pipe = this.piped.get(key);
    if (!pipe) {
      pipe = from.router.pipeToRouter({ producerId, router: to });
      this.piped.set(key, pipe);
      pipe.catch(() => this.piped.delete(key));
    }
    await pipe;
  }

  /** Forgets the pipes of a stream that ended (mediasoup closes the pipe producers itself). */
  forget(producerId: string): void {
    for (const key of this.piped.keys()) if (key.startsWith(`${producerId}>`)) this.piped.delete(key);
  }

  close(): void {
    for (const member of this.members) if (!member.router.closed) member.router.close();
  }
}
