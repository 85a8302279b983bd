// One briefing on the SFU: its routers (one per worker it spans), its meeting points, and who is
// speaking.
import { DownlinkCeilings } from './DownlinkCeiling';
import { Dynacast } from './Dynacast';
import { KeyFrameWatch } from './KeyFrameWatch';
import type { types } from 'mediasoup';
import type {
  ConsumerWish,
  ErrorCode,
  MediaKind,
  MediaSource,
  NotificationData,
  NotificationName,
} from '../protocol';
import type { Clock } from './clock';
import { SfuError } from './errors';
import { Peer, type ProducerData } from './Peer';
import { RouterSet } from './RouterSet';
import type { WorkerPool } from './WorkerPool';

export interface RoomLimits {
  pointsPerWorker: number;
  /** Caps the bitrate a meeting point may send (bits/s): commune links are often 3G/4G. */
  maxIncomingBitrate: number;
  maxTransportsPerPoint: number;
  maxProducersPerPoint: number;
  consumersPerPoint: number;
  /** How long a room with no one in it is kept before it closes. */
  emptyRoomMs: number;
  now: Clock;
}

const INITIAL_DOWNLINK_ESTIMATE_BPS = 1_000_000;

export class Room {
  readonly peers = new Map<string, Peer>();
  private readonly dynacast = new Dynacast(this.peers);
  private readonly downlinkCeilings = new DownlinkCeilings();
  private readonly keyFrames: KeyFrameWatch;
  /** Asks again for a video left dark by lost key-frame requests (see KeyFrameWatch). */
  private readonly keyFrameWatch = setInterval(() => this.keyFrames.check(performance.now()), 1000).unref();
  private activeSpeakerPeerId: string | null = null;
  private closed = false;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  private constructor(
    readonly code: string,
    readonly routers: RouterSet,
    private readonly speakerObserver: types.ActiveSpeakerObserver,
    private readonly onClose: (room: Room, reason: string) => void,
    private readonly limits: RoomLimits,
  ) {
    this.keyFrames = new KeyFrameWatch(this.peers, code);
    speakerObserver.on('dominantspeaker', ({ producer }) => {
      const peerId = (producer.appData as ProducerData).peerId;
      this.activeSpeakerPeerId = peerId;
      this.broadcast('activeSpeaker', { peerId });
    });
  }

  static async create(
    code: string,
    pool: WorkerPool,
    limits: RoomLimits,
    onClose: (room: Room, reason: string) => void,
  ): Promise<Room> {
    // A worker that dies takes its routers with it; the pool starts a new worker and the
    // meeting points rejoin, which builds the briefing again on live workers.
    const made: { room?: Room } = {};
    const routers = await RouterSet.create(pool, limits.pointsPerWorker, () => made.room?.close('media worker restarted'));
    const speakerObserver = await routers.primary.createActiveSpeakerObserver({ interval: 300 });
    const room = new Room(code, routers, speakerObserver, onClose, limits);
    made.room = room;
    return room;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get rtpCapabilities(): types.RtpCapabilities {
    return this.routers.primary.rtpCapabilities;
  }

  async join(peer: Peer) {
    if (this.closed) throw new SfuError('internal', 'briefing is restarting, join again', { reason: 'restarting' });
    clearTimeout(this.idleTimer);
    await this.routers.place(peer.id);
    // A worker may have died while the point was being placed.
    if (this.isClosed) throw new SfuError('internal', 'briefing is restarting, join again', { reason: 'restarting' });
    const others = [...this.peers.values()].map((p) => p.info());
    this.peers.set(peer.id, peer);
    this.broadcast('peerJoined', { peer: peer.info() }, peer.id);
    return { peers: others, activeSpeakerPeerId: this.activeSpeakerPeerId };
  }

  /** Tells everyone present (but `exceptPeerId`): a new version, the agenda item, a page turned. */
  announce<N extends NotificationName>(name: N, data: NotificationData<N>, exceptPeerId?: string): void {
    this.broadcast(name, data, exceptPeerId);
  }

  /** Tells each point present its own view (see Briefing.snapshot). */
  announceEach<N extends NotificationName>(name: N, dataFor: (peerId: string) => NotificationData<N>): void {
    for (const peer of this.peers.values()) peer.notify(name, dataFor(peer.id));
  }

  leave(peerId: string): void {
    const peer = this.peers.get(peerId);
    if (!peer) return;
    this.peers.delete(peerId);
    peer.close();
    this.routers.release(peerId);
    if (this.activeSpeakerPeerId === peerId) {
      this.activeSpeakerPeerId = null;
      this.broadcast('activeSpeaker', { peerId: null });
    }
    this.broadcast('peerLeft', { peerId });
    // Empty: kept a few minutes for a point whose link dropped (its routers are still here when
    // it comes back), then closed; where the briefing stands is the Briefing's, not the room's.
    if (this.peers.size === 0) {
      clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => this.peers.size === 0 && this.close('empty'), this.limits.emptyRoomMs);
      this.idleTimer.unref();
    }
  }

  /** A point holds what it needs and no more: one seat cannot fill the worker's memory. */
  private checkHolding(peer: Peer, what: 'transports' | 'producers' | 'consumers'): void {
    const limit = {
      transports: this.limits.maxTransportsPerPoint,
      producers: this.limits.maxProducersPerPoint,
      consumers: this.limits.consumersPerPoint * Math.max(1, this.peers.size),
    }[what];
    if (peer[what].size >= limit) throw new SfuError('over_limit', `a meeting point may hold at most ${limit} ${what} in this briefing`, { reason: 'media_limit', count: limit });
  }

  async createTransport(peer: Peer, direction: 'send' | 'recv') {
    this.checkHolding(peer, 'transports');
    const home = this.routers.home(peer.id);
    const transport = await home.router.createWebRtcTransport({
      webRtcServer: home.slot.webRtcServer,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      // mediasoup starts its estimate of a point's downlink at 600 kbps and, behind the test
      // link, did not climb past it in a minute: the stage (about 900 kbps) stayed a size down
      // and the app took the link for narrow. At 1 Mbps (mediasoup-demo's value) the stage comes
      // whole at once; a narrower link brings the estimate down within seconds.
      initialAvailableOutgoingBitrate: INITIAL_DOWNLINK_ESTIMATE_BPS,
      appData: { direction },
    });
    if (direction === 'send') await transport.setMaxIncomingBitrate(this.limits.maxIncomingBitrate);
    peer.transports.set(transport.id, transport);
    transport.observer.on('close', () => peer.transports.delete(transport.id));
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  }

  /** A plain-RTP transport on the first media address; the sender's address is learnt from its
   * first packet (comedia), the receiver's is given in connectPlainTransport. */
  async createPlainTransport(peer: Peer, direction: 'send' | 'recv', listen: { ip: string; announcedIp?: string }) {
    this.checkHolding(peer, 'transports');
    const transport = await this.routers.home(peer.id).router.createPlainTransport({ listenIp: listen, rtcpMux: true, comedia: direction === 'send', appData: { direction, plain: true } });
    peer.transports.set(transport.id, transport);
    transport.observer.on('close', () => peer.transports.delete(transport.id));
    return { id: transport.id, ip: listen.announcedIp ?? transport.tuple.localIp, port: transport.tuple.localPort };
  }

  async produce(
    peer: Peer,
    transportId: string,
    kind: MediaKind,
    source: MediaSource,
    rtpParameters: types.RtpParameters,
  ): Promise<string> {
    const transport = peer.transport(transportId);
    if (transport.appData.direction !== 'send') throw new SfuError('bad_request', 'that transport only receives');
    this.checkHolding(peer, 'producers');
    const producer = await transport.produce<ProducerData>({ kind, rtpParameters, appData: { source, peerId: peer.id } });
    return this.adopt(peer, producer);
  }

  /** A point of the upper briefing, seen here through the relay link (cascade/UpperLink): it
   * holds only the streams the link brings, on the router the link's pipe arrives at. */
  addRemotePeer(peer: Peer): void {
    if (this.closed) throw new SfuError('internal', 'briefing is restarting', { reason: 'restarting' });
    clearTimeout(this.idleTimer);
    this.routers.lodge(peer.id);
    this.peers.set(peer.id, peer);
    this.broadcast('peerJoined', { peer: peer.info() }, peer.id);
  }

  /** Makes a producer made elsewhere (a pipe from the upper server) one of `peer`'s streams. */
  async adopt(peer: Peer, producer: types.Producer<ProducerData>): Promise<string> {
    const { kind, appData: { source } } = producer;
    peer.producers.set(producer.id, producer);
    producer.observer.on('close', () => {
      peer.producers.delete(producer.id);
      this.dynacast.forget(producer.id);
      this.routers.forget(producer.id);
      if (!this.closed) this.broadcast('producerClosed', { peerId: peer.id, producerId: producer.id }, peer.id);
    });
    if (kind === 'audio') {
      await this.routers.bring(producer.id, this.routers.home(peer.id), this.routers.primary);
      await this.speakerObserver.addProducer({ producerId: producer.id });
    }
    if (kind === 'video') this.dynacast.update(producer.id);
    this.broadcast(
      'producerAdded',
      { peerId: peer.id, producer: { id: producer.id, kind, source, paused: producer.paused } },
      peer.id,
    );
    return producer.id;
  }

  /** Pauses or resumes a point's stream; the point itself is told only when it did not ask. */
  async setProducerPaused(peer: Peer, producerId: string, paused: boolean, tellOwner = false): Promise<void> {
    const producer = peer.producer(producerId);
    if (paused) await producer.pause();
    else await producer.resume();
    this.broadcast('producerPaused', { peerId: peer.id, producerId, paused }, tellOwner ? undefined : peer.id);
  }

  /** The chair's floor control: the point's microphone is paused on the server (nobody hears it
   * whatever its app does), and everyone, the point itself included, is told. */
  async setMicPaused(peerId: string, paused: boolean): Promise<void> {
    const peer = this.peers.get(peerId);
    const mic = peer && [...peer.producers.values()].find((p) => p.appData.source === 'mic');
    if (!peer || !mic || mic.closed || mic.paused === paused) return;
    await this.setProducerPaused(peer, mic.id, paused, true);
  }

  /** Several consumers at once, side by side in the worker (a point joining a briefing of 200).
   * The point's cap is counted before any is made: made side by side, each would otherwise pass
   * the cap's check before the others were held. A stream named twice, or past the cap, is
   * refused by name with the reason; the rest stand. */
  async consumeMany(peer: Peer, transportId: string, wanted: { producerId: string; wish?: ConsumerWish }[]) {
    const limit = this.limits.consumersPerPoint * Math.max(1, this.peers.size);
    let room = Math.max(0, limit - peer.consumers.size);
    const seen = new Set<string>();
    const refused: { producerId: string; code: ErrorCode; message: string }[] = [];
    const accepted = wanted.filter(({ producerId }) => {
      if (seen.has(producerId)) refused.push({ producerId, code: 'bad_request', message: 'this stream is named twice' });
      else if (room === 0) refused.push({ producerId, code: 'over_limit', message: `a meeting point may hold at most ${limit} consumers in this briefing` });
      else {
        seen.add(producerId);
        room--;
        return true;
      }
      return false;
    });
    const outcomes = await Promise.allSettled(accepted.map((w) => this.consume(peer, transportId, w.producerId, w.wish, false)));
    const consumers = [];
    for (const [index, outcome] of outcomes.entries()) {
      if (outcome.status === 'fulfilled') consumers.push(outcome.value);
      else {
        // A stream that closed while the worker made its consumer fails there, not here.
        const error: unknown = outcome.reason;
        const producerId = accepted[index].producerId;
        if (error instanceof SfuError) refused.push({ producerId, code: error.code, message: error.message });
        else refused.push({ producerId, code: 'media_error', message: error instanceof Error ? error.message : String(error) });
      }
    }
    return { consumers, refused };
  }

  /** A paused consumer of another point's stream, as the point wishes it once it is resumed. */
  async consume(peer: Peer, transportId: string, producerId: string, wish?: ConsumerWish, checkCap = true) {
    const transport = peer.transport(transportId);
    if (transport.appData.direction !== 'recv') throw new SfuError('bad_request', 'that transport only sends');
    if (checkCap) this.checkHolding(peer, 'consumers');
    const owner = [...this.peers.values()].find((p) => p.producers.has(producerId));
    const producer = owner?.producers.get(producerId);
    if (!owner || !producer || owner === peer) throw new SfuError('not_found', `no producer ${producerId} to receive`);
    // Asked again because our answer was lost on the way (the point's request timed out): the
    // consumer made then is the answer, not a second one of the same stream (nor a second pipe).
    const made = [...peer.consumers.values()].find((c) => c.producerId === producerId && c.appData.transportId === transportId && !c.closed);
    if (made) {
      if (wish) await made.setPreferredLayers({ spatialLayer: wish.spatialLayer, temporalLayer: wish.temporalLayer });
      return describeConsumer(made, owner.id, producer.appData.source);
    }
    const home = this.routers.home(peer.id);
    await this.routers.bring(producerId, this.routers.home(owner.id), home.router);
    if (!home.router.canConsume({ producerId, rtpCapabilities: peer.rtpCapabilities })) {
      throw new SfuError('media_error', 'your device cannot decode this stream');
    }
    // Paused until the meeting point has wired the track up, so no key frame is lost.
    const consumer = await transport.consume({
      producerId,
      rtpCapabilities: peer.rtpCapabilities,
      paused: true,
      appData: { transportId },
      ...(wish ? { preferredLayers: { spatialLayer: wish.spatialLayer, temporalLayer: wish.temporalLayer } } : {}),
    });
    if (wish?.priority !== undefined) await consumer.setPriority(wish.priority);
    peer.consumers.set(consumer.id, consumer);
    this.downlinkCeilings.remember(consumer, producer);
    const forget = () => peer.consumers.delete(consumer.id);
    consumer.observer.on('close', () => {
      forget();
      this.receivingChanged(peer, [producerId]);
    });
    // A microphone given or taken the floor, a camera turned on or off: what flows changed.
    consumer.on('producerpause', () => this.receivingChanged(peer, []));
    consumer.on('producerresume', () => this.receivingChanged(peer, []));
    consumer.on('producerclose', () => {
      forget();
      peer.notify('consumerClosed', { consumerId: consumer.id });
    });
    return describeConsumer(consumer, owner.id, producer.appData.source);
  }

  /** What `peer` receives changed (a stream resumed, paused, closed or asked at another layer):
   * its senders are told which layers to encode, and its link how much it may be sent. */
  receivingChanged(peer: Peer, producerIds: Iterable<string>): void {
    for (const producerId of new Set(producerIds)) this.dynacast.update(producerId);
    this.downlinkCeilings.update(peer);
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.idleTimer);
    clearInterval(this.keyFrameWatch);
    const peers = [...this.peers.values()];
    this.peers.clear();
    for (const peer of peers) {
      peer.close();
      if (reason !== 'empty') peer.notify('briefingRestarted', { reason });
    }
    this.routers.close();
    this.onClose(this, reason);
  }

  private broadcast<N extends NotificationName>(name: N, data: NotificationData<N>, exceptPeerId?: string): void {
    for (const peer of this.peers.values()) {
      if (peer.id !== exceptPeerId) peer.notify(name, data);
    }
  }
}

/** What a meeting point needs to wire up one consumer. */
function describeConsumer(consumer: types.Consumer, peerId: string, source: MediaSource) {
  return {
    consumerId: consumer.id,
    producerId: consumer.producerId,
    peerId,
    kind: consumer.kind,
    source,
    rtpParameters: consumer.rtpParameters,
    producerPaused: consumer.producerPaused,
  };
}
