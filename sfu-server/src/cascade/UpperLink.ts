// A province server relaying an upper briefing to its own communes: it takes its `relay` seat
// upstream, opens one pipe transport each way of the link and brings every stream of the upper
// briefing over it once; its communes, seated in the province's own briefing, receive those
// streams from this server like any other point's. A link that breaks is made again by itself;
// the communes keep their seats meanwhile and get the upper streams back when it returns.
import type { types } from 'mediasoup';
import type { ControlState, PeerInfo, PresenterPage, SeatInfo } from '../../protocol';
import type { PublishedBriefing } from '../../protocol/briefing';
import type { BriefingDirectory } from '../BriefingDirectory';
import type { Briefing } from '../chairing/Briefing';
import { Peer, type ProducerData } from '../Peer';
import type { Room } from '../Room';
import { FloorRelay } from './FloorRelay';
import { fetchPinnedCa } from './upperTrust';
import { bringUpperBriefing } from './UpperDocuments';
import type { Catalog } from '../catalog/Catalog';
import { UpperSignaling } from './UpperSignaling';

export interface UpperLinkSettings {
  /** The province's own briefing its communes join. */
  localBriefing: string;
  upperUrl: string;
  upperBriefing: string;
  /** The relay seat's invite code in the upper briefing. */
  inviteCode: string;
  /** The upper server's CA, as its invitation gives it; null trusts the system's CAs. */
  caFingerprint: string | null;
}

export type LinkState = { state: 'connecting' } | { state: 'linked'; since: Date } | { state: 'waiting'; problem: string; retryInMs: number };

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 15_000;

/** Where an upper point lives here: its stand-in peer in the province's room. */
const localIdOf = (upperPeerId: string) => `upper-${upperPeerId}`;
const isStandIn = (peerId: string) => peerId.startsWith('upper-');

/** The most upper points mirrored here. A briefing invites at most 500 points and 40 servers,
 * besides its chair, its secretary and the guests its chair lets in: an upper server naming more
 * is misbehaving (or not ours), and each stand-in costs this server memory and its communes a
 * notification. */
export const MAX_UPPER_POINTS = 600;

export class UpperLink {
  private signaling: UpperSignaling | null = null;
  private pipe: types.PipeTransport | null = null;
  private upperTransportId: string | null = null;
  private floor: FloorRelay | null = null;
  private unwatch: (() => void) | null = null;
  private room: Room | null = null;
  private briefing: Briefing | null = null;
  private upperControl: ControlState | null = null;
  private seatSecret: string | undefined;
  private stopped = false;
  private retryMs = RETRY_MIN_MS;
  /** Mirroring runs one step at a time, in the order the upper server told it. */
  private work: Promise<unknown> = Promise.resolve();
  status: LinkState = { state: 'connecting' };

  constructor(
    readonly settings: UpperLinkSettings,
    private readonly rooms: BriefingDirectory,
    /** This server's media addresses: one behind a NAT announces its public address. */
    private readonly mediaAddresses: readonly { ip: string; announcedIp?: string }[],
    private readonly displayName: string,
    /** Where the upper agenda and documents are kept, and who tells the communes of a new version. */
    private readonly documents: { catalog: Catalog; published: (briefing: PublishedBriefing) => void },
  ) {}

  start(): void {
    void this.run();
  }

  /** What crossed the link's pipe so far (both ways), for the operator and the benchmark. */
  async pipeBytes(): Promise<{ received: number; sent: number } | null> {
    if (!this.pipe) return null;
    const [stats] = await this.pipe.getStats();
    return { received: stats.bytesReceived, sent: stats.bytesSent };
  }

  private isStopped(): boolean {
    return this.stopped;
  }

  stop(): void {
    this.stopped = true;
    this.signaling?.close();
    this.teardown();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.status = { state: 'connecting' };
      const closed = new Promise<string>((resolve) => void this.connect(resolve).catch((error: unknown) => resolve(error instanceof Error ? error.message : String(error))));
      const why = await closed;
      this.signaling?.close();
      this.signaling = null;
      this.teardown();
      // stop() may have come while the link was down.
      if (this.isStopped()) return;
      console.warn(`[cascade] link to ${this.settings.upperUrl} (${this.settings.upperBriefing}) down: ${why}; again in ${this.retryMs / 1000} s`);
      this.status = { state: 'waiting', problem: why, retryInMs: this.retryMs };
      await new Promise((r) => setTimeout(r, this.retryMs));
      this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
    }
  }

  /** Sets the link up; `down` is called once it no longer carries the briefing. */
  private async connect(down: (why: string) => void): Promise<void> {
    const { upperUrl, upperBriefing, inviteCode, caFingerprint, localBriefing } = this.settings;
    const caPem = caFingerprint ? await fetchPinnedCa(upperUrl, caFingerprint) : undefined;
    this.caPem = caPem;
    const briefing = await this.rooms.briefing(localBriefing);
    this.briefing = briefing;
    const room = await this.rooms.roomFor(localBriefing);
    this.room = room;
    const signaling = await UpperSignaling.connect(upperUrl, caPem, down);
    this.signaling = signaling;
    this.listen(signaling, down);
    const joined = await signaling.request('join', { briefingCode: upperBriefing, displayName: this.displayName, rtpCapabilities: room.rtpCapabilities, credential: inviteCode, resume: this.seatSecret });
    if (joined.status !== 'joined') return down('the invite code did not open a seat (the upper chair must invite this server)');
    if (joined.role !== 'relay') return down(`the invite code opens a ${joined.role}'s seat, not a relay's`);
    this.seatSecret = joined.seatSecret;
    // The pipe listens where the signaling leaves from (the upper server sends media nowhere else),
    // announcing the public address a media address behind a NAT is configured with.
    const configured = this.mediaAddresses.find((a) => a.ip === signaling.localAddress) ?? this.mediaAddresses.find((a) => ['0.0.0.0', '::'].includes(a.ip));
    const pipeAddress = { ip: signaling.localAddress, ...(configured?.announcedIp ? { announcedIp: configured.announcedIp } : {}) };
    // Queued before any later notification of the upper briefing is handled: those follow it.
    const setup = { done: false };
    await this.step(async () => {
      const upperEnd = await signaling.request('createPipeTransport', {});
      this.upperTransportId = upperEnd.id;
      const pipe = await room.routers.primary.createPipeTransport({ listenIp: pipeAddress, enableRtx: true, enableSrtp: true });
      this.pipe = pipe;
      // The room's worker died: the link is made again on the room that replaces it.
      pipe.on('routerclose', () => down('the media worker behind this briefing restarted'));
      if (!pipe.srtpParameters) throw new Error('the pipe transport has no SRTP keys');
      await pipe.connect({ ip: upperEnd.ip, port: upperEnd.port, srtpParameters: upperEnd.srtpParameters });
      await signaling.request('connectPipeTransport', { transportId: upperEnd.id, ip: pipeAddress.announcedIp ?? pipe.tuple.localIp, port: pipe.tuple.localPort, srtpParameters: pipe.srtpParameters });
      for (const peer of joined.peers) this.addPeer(peer);
      await this.bring(joined.peers.flatMap((p) => p.producers.map((x) => x.id)));
      this.upperControl = joined.control;
      this.showUpperSeats();
      if (joined.agenda && joined.agenda.index !== briefing.proceedings.position?.index) briefing.setAgendaItem(joined.agenda.index);
      if (joined.presenterPage) {
        const { presenterPeerId, ...page } = joined.presenterPage;
        this.followPresenter(presenterPeerId, page);
      }
      const floor = new FloorRelay({ signaling, room, briefing, pipe, upperTransportId: upperEnd.id, relaySeatId: joined.seatId });
      this.floor = floor;
      let reported = '';
      this.unwatch = briefing.watch((local) => void this.step(async () => {
        await floor.localChanged(local);
        // The upper roll call shows this province's points rolled up; sent only when they change.
        const points = briefing.seats.all().filter((s) => s.baseRole === 'point' && s.invited);
        const counts = { present: points.filter((s) => s.state === 'present').length, invited: points.length };
        if (JSON.stringify(counts) === reported) return;
        reported = JSON.stringify(counts);
        await signaling.request('relayReport', counts);
      }));
      setup.done = true;
    }, down);
    if (!setup.done) return;
    this.syncDocuments();
    this.retryMs = RETRY_MIN_MS;
    this.status = { state: 'linked', since: new Date() };
    console.log(`[cascade] ${localBriefing} relays ${upperBriefing} from ${upperUrl}`);
  }

  private listen(signaling: UpperSignaling, down: (why: string) => void): void {
    signaling.on('peerJoined', ({ peer }) => void this.step(() => {
      this.addPeer(peer);
    }));
    signaling.on('peerLeft', ({ peerId }) => void this.step(() => {
      this.removePeer(peerId);
    }));
    signaling.on('producerClosed', ({ producerId }) => void this.step(() => {
      for (const peer of this.room?.peers.values() ?? []) peer.producers.get(this.localProducer.get(producerId) ?? '')?.close();
      this.localProducer.delete(producerId);
    }));
    signaling.on('producerPaused', ({ peerId, producerId, paused }) => void this.step(async () => {
      const local = this.room?.peers.get(localIdOf(peerId));
      const localId = this.localProducer.get(producerId);
      if (local && localId && local.producers.has(localId)) await this.room?.setProducerPaused(local, localId, paused);
    }));
    signaling.on('controlChanged', (control) => void this.step(async () => {
      this.upperControl = control;
      this.showUpperSeats();
      await this.floor?.upperChanged(control);
    }));
    // Where the upper chair is, this province is: the agenda item (its times kept here too, for
    // the province's minutes) and the presenter's page.
    signaling.on('agendaItemChanged', ({ index }) => void this.step(() => {
      this.briefing?.setAgendaItem(index);
    }));
    signaling.on('presenterPageChanged', ({ presenterPeerId, ...page }) => void this.step(() => {
      this.followPresenter(presenterPeerId, page);
    }));
    signaling.on('producerAdded', ({ producer }) => void this.step(() => this.bring([producer.id])));
    signaling.on('briefingUpdated', () => this.syncDocuments());
    signaling.on('briefingRestarted', ({ reason }) => down(`the upper briefing restarted (${reason})`));
    signaling.on('seatTakenOver', () => down('another server took this relay seat over'));
  }

  private caPem: string | undefined;
  private documentSync: Promise<void> = Promise.resolve();

  /** The upper agenda and documents, into the province's briefing: one at a time, in the
   * background (a 50 MB document does not hold the media up). */
  private syncDocuments(): void {
    const { upperUrl, upperBriefing, inviteCode, localBriefing } = this.settings;
    this.documentSync = this.documentSync
      .then(async () => {
        const published = await bringUpperBriefing({ upperUrl, upperBriefing, inviteCode, caPem: this.caPem }, this.documents.catalog, localBriefing);
        if (published) {
          console.log(`[cascade] ${localBriefing} takes the agenda and documents of ${upperBriefing} (version ${published.version})`);
          this.documents.published(published);
        }
      })
      .catch((error: unknown) => console.warn(`[cascade] the documents of ${upperBriefing} could not be brought over (the next change tries again):`, error instanceof Error ? error.message : error));
  }

  /** The warning that the upper server names too many points is given once a link. */
  private toldOverCap = false;

  /** Upper producer id → its stand-in producer here. */
  private readonly localProducer = new Map<string, string>();

  /** One mirroring step after the others; one that fails takes the link down (when `down` is
   * given: setting it up) or is logged and passed (a single stream). */
  private step(action: () => void | Promise<void>, down?: (why: string) => void): Promise<void> {
    const next = this.work.then(action).catch((error: unknown) => {
      if (down) down(error instanceof Error ? error.message : String(error));
      else console.warn('[cascade] could not mirror a change of the upper briefing:', error);
    });
    this.work = next;
    return next;
  }

  private addPeer(info: PeerInfo): void {
    if (!this.room || this.room.peers.has(localIdOf(info.id))) return;
    if ([...this.room.peers.keys()].filter(isStandIn).length >= MAX_UPPER_POINTS) {
      if (!this.toldOverCap) console.warn(`[cascade] ${this.settings.upperUrl} names more than ${MAX_UPPER_POINTS} points in ${this.settings.upperBriefing}, more than a briefing holds: the others are not relayed`);
      this.toldOverCap = true;
      return;
    }
    this.room.addRemotePeer(new Peer(localIdOf(info.id), info.seatId, info.displayName, this.room.rtpCapabilities, () => undefined));
  }

  private removePeer(upperPeerId: string): void {
    const peer = this.room?.peers.get(localIdOf(upperPeerId));
    if (!peer) return;
    for (const producer of peer.producers.values()) producer.close();
    this.room?.leave(peer.id);
  }

  /** Takes the named upper streams over the pipe and makes each a stream of its stand-in peer. */
  private async bring(producerIds: string[]): Promise<void> {
    const { signaling, pipe, room, upperTransportId } = this;
    const wanted = producerIds.filter((id) => !this.localProducer.has(id));
    if (!signaling || !pipe || !room || !upperTransportId || wanted.length === 0) return;
    const { piped, refused } = await signaling.request('pipeConsume', { transportId: upperTransportId, producerIds: wanted });
    for (const r of refused) console.warn(`[cascade] the upper server does not relay ${r.producerId}: ${r.message}`);
    for (const stream of piped) {
      const peer = room.peers.get(localIdOf(stream.peerId));
      if (!peer) continue;
      const producer = await pipe.produce<ProducerData>({
        kind: stream.kind,
        rtpParameters: stream.rtpParameters,
        paused: stream.producerPaused,
        appData: { source: stream.source, peerId: peer.id },
      });
      this.localProducer.set(stream.producerId, producer.id);
      await room.adopt(peer, producer);
    }
  }

  private followPresenter(upperPeerId: string, page: PresenterPage): void {
    const seat = this.upperControl?.seats.find((s) => s.peerId === upperPeerId);
    if (seat) this.briefing?.setPresenterPage({ id: seat.seatId, peerId: localIdOf(upperPeerId) }, page);
  }

  /** The upper seats whose points are seen here (the upper chair among them) join the province's
   * view of the briefing, so its communes' stage shows the upper chair or whoever has the floor. */
  private showUpperSeats(): void {
    const control = this.upperControl;
    if (!this.briefing || !this.room) return;
    const here = (seat: SeatInfo) => seat.peerId !== null && this.room?.peers.has(localIdOf(seat.peerId));
    // Only those who lead from above: the chair, the presenter, whoever holds the floor. The other
    // upper seats (other provinces, ministries) stay out of this province's roll call and counts.
    const leads = (seat: SeatInfo) => seat.role === 'chair' || seat.role === 'presenter' || seat.seatId === control?.floor.speaker?.seatId;
    const seats = (control?.seats ?? []).filter((s) => here(s) && leads(s)).map((s) => ({ ...s, peerId: localIdOf(s.peerId ?? '') }));
    const speaker = control?.floor.speaker && seats.some((s) => s.seatId === control.floor.speaker?.seatId) ? control.floor.speaker : null;
    this.briefing.showUpper({ seats, speaker });
  }

  /** Everything the link brought goes; the communes' own seats and streams stay. */
  private teardown(): void {
    const room = this.room;
    this.unwatch?.();
    this.unwatch = null;
    // A commune that spoke through the link loses the floor with it: nobody upstream hears it.
    const floor = this.floor;
    this.floor = null;
    if (floor?.isSpeaking) void floor.stop().then(() => this.briefing?.revokeFloor({ name: 'Mất kết nối cấp trên' }));
    this.pipe?.close();
    this.pipe = null;
    this.upperTransportId = null;
    if (room && !room.isClosed) for (const peerId of [...room.peers.keys()]) if (isStandIn(peerId)) room.leave(peerId);
    this.toldOverCap = false;
    this.localProducer.clear();
    this.briefing?.showUpper(null);
    this.room = null;
  }
}
