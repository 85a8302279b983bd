// The briefings this server runs: the chairing state of each published briefing (kept while the
// server runs), the media room it uses now, the caps, and the connections seated in them.
import type { types } from 'mediasoup';
import type { PublishedBriefing } from '../protocol/briefing';
import type { AuditLog } from './access/AuditLog';
import type { Invitations } from './access/Invitations';
import type { Catalog } from './catalog/Catalog';
import type { Clock } from './clock';
import { Briefing } from './chairing/Briefing';
import { LinkMonitor } from './chairing/LinkMonitor';
import type { SfuConfig } from './config';
import { SfuError } from './errors';
import { Room } from './Room';
import type { WorkerPool } from './WorkerPool';

/** What the directory needs of a connection: to be pushed out when its seat is taken over. */
export interface SeatedConnection {
  takenOver(): void;
}

export class BriefingDirectory {
  private readonly rooms = new Map<string, Promise<Room>>();
  private readonly briefings = new Map<string, Briefing>();
  private readonly seated = new Map<string, SeatedConnection>();
  private readonly monitors = new Map<Room, LinkMonitor>();

  constructor(
    private readonly pool: WorkerPool,
    private readonly catalog: Catalog,
    readonly invitations: Invitations,
    readonly audit: AuditLog,
    readonly config: Pick<
      SfuConfig,
      | 'pointsPerWorker'
      | 'maxBriefings'
      | 'maxPoints'
      | 'maxIncomingKbps'
      | 'seatHoldMs'
      | 'maxTransportsPerPoint'
      | 'maxProducersPerPoint'
      | 'consumersPerPoint'
      | 'maxLobby'
      | 'maxLobbyPerAddress'
      | 'emptyRoomMs'
    >,
    private readonly now: Clock,
    /** The seat an enrolment code opens in a briefing (an operator who typed it where the
     * invite code goes is let in all the same); `withdrawn`; null when it opens none. */
    readonly enrolledSeat: (briefingCode: string, code: string) => Promise<{ seat: string } | 'withdrawn' | null> = () => Promise.resolve(null),
  ) {}

  /** The chairing state of a published briefing; `not_found` for a code never published, so no
   * one can make the server start rooms for made-up codes. */
  async briefing(code: string): Promise<Briefing> {
    const known = this.briefings.get(code);
    if (known) return known;
    const published = await this.catalog.latest(code);
    if (!published) throw new SfuError('not_found', `briefing ${code} has not been published on this server`, { reason: 'briefing_not_published' });
    const briefing = this.briefings.get(code) ?? new Briefing(code, published, this.audit, this.config, this.now);
    this.briefings.set(code, briefing);
    return briefing;
  }

  /** A new version was published: a running briefing's roster follows it. */
  republished(published: PublishedBriefing): void {
    this.briefings.get(published.code)?.republished(published);
  }

  /** The briefing's media room, started on first use (within the cap of briefings). */
  async roomFor(code: string): Promise<Room> {
    const existing = this.rooms.get(code);
    if (existing) {
      const room = await existing;
      if (!room.isClosed) return room;
    }
    const briefing = await this.briefing(code);
    if (this.rooms.size >= this.config.maxBriefings) {
      throw new SfuError('capacity', `this server runs at most ${this.config.maxBriefings} briefings at once`, { reason: 'max_briefings', count: this.config.maxBriefings });
    }
    const created = Room.create(
      code,
      this.pool,
      { ...this.config, maxIncomingBitrate: this.config.maxIncomingKbps * 1000, now: this.now },
      (room) => {
        if (this.rooms.get(code) === created) this.rooms.delete(code);
        this.monitors.get(room)?.stop();
        this.monitors.delete(room);
      },
    );
    this.rooms.set(code, created);
    created.then(
      (room) => {
        briefing.attach({
          setMicPaused: (peerId, paused) => room.setMicPaused(peerId, paused),
          announce: (viewFor) => room.announceEach('controlChanged', viewFor),
          broadcast: (name, data, exceptPeerId) => room.announce(name, data, exceptPeerId),
        });
        this.monitors.set(room, new LinkMonitor(room, briefing));
      },
      () => this.rooms.delete(code),
    );
    return created;
  }

  /** What a joining point needs first. Answered without opening a media room: a room opens only
   * when a seated point joins, so asking cannot fill the server's cap of briefings. */
  async routerRtpCapabilities(code: string): Promise<types.RtpCapabilities> {
    await this.briefing(code);
    const running = await this.running(code);
    if (running) return running.rtpCapabilities;
    return this.pool.rtpCapabilities();
  }

  /** Refuses a join over the server's cap of connected meeting points. */
  checkPointCap(): void {
    const present = [...this.briefings.values()].reduce((n, b) => n + b.presentCount(), 0);
    if (present >= this.config.maxPoints) {
      throw new SfuError('capacity', `this server carries at most ${this.config.maxPoints} meeting points at once`, { reason: 'max_points', count: this.config.maxPoints });
    }
  }

  seat(peerId: string, connection: SeatedConnection): void {
    this.seated.set(peerId, connection);
  }

  unseat(peerId: string): void {
    this.seated.delete(peerId);
  }

  /** The seat was taken back by its own point over a new link: the old connection goes. */
  evict(peerId: string): void {
    const connection = this.seated.get(peerId);
    this.seated.delete(peerId);
    connection?.takenOver();
  }

  get roomCount(): number {
    return this.rooms.size;
  }

  /** The briefing's room if it is running now, without starting one. */
  async running(code: string): Promise<Room | undefined> {
    const room = await this.rooms.get(code)?.catch(() => undefined);
    return room && !room.isClosed ? room : undefined;
  }

  async closeAll(): Promise<void> {
    for (const room of await Promise.allSettled(this.rooms.values())) {
      if (room.status === 'fulfilled') room.value.close('server stopping');
    }
    for (const briefing of this.briefings.values()) briefing.close();
  }
}
