// A meeting point's part in one briefing: sends its camera and microphone, receives every
// other meeting point, and follows who is on the main stage.
import { Device, type types } from 'mediasoup-client';
import type { AgendaPosition, BriefingChange, PeerInfo, PresenterPage, ProducerInfo, ResponseData } from '../../../sfu-server/protocol';
import { SignalingClient, SignalingError } from './SignalingClient';

export interface RemotePoint {
  peerId: string;
  displayName: string;
  videoTrack: MediaStreamTrack | null;
  audioTrack: MediaStreamTrack | null;
  micMuted: boolean;
  cameraOff: boolean;
  /** From the receiver's own WebRTC stats, refreshed every second. */
  framesDecoded: number;
  audioBytesReceived: number;
  kbpsDown: number;
}

export type SessionStatus = 'joining' | 'joined' | 'rejoining' | 'disconnected' | 'left';

export interface SessionState {
  status: SessionStatus;
  points: RemotePoint[];
  /** Who the main stage shows: the active speaker, else the first meeting point present. */
  stagePeerId: string | null;
  micMuted: boolean;
  cameraOff: boolean;
  errorCode: string | null;
  /** The agenda item the chair moved to; null until the chair starts the agenda. */
  agenda: AgendaPosition | null;
  /** The page the presenter shows; null until someone presents a document. */
  presenterPage: (PresenterPage & { presenterPeerId: string }) | null;
  /** A new version of the briefing was published during the briefing. */
  update: { version: number; changes: BriefingChange[] } | null;
  /** Signed minutes or a conclusions notice were issued during the briefing. */
  recordIssued: { briefingCode: string; kind: 'minutes' | 'conclusions'; at: number } | null;
  ownPeerId: string | null;
}

export interface JoinOptions {
  serverUrl: string;
  briefingCode: string;
  pointName: string;
  stream: MediaStream;
}

/** Three simulcast layers: thumbnails take the lowest, the main stage the highest. */
const SIMULCAST: types.RtpEncodingParameters[] = [
  { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 120_000 },
  { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 350_000 },
  { rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: 900_000 },
];
const STAGE_LAYER = 2;
const THUMBNAIL_LAYER = 0;

async function createDevice(): Promise<Device> {
  try {
    return await Device.factory();
  } catch {
    // Headless and embedded Chromium user agents are not always recognised; any recent
    // Chromium (Electron's included) works with this handler.
    return new Device({ handlerName: 'Chrome111' });
  }
}

interface ConsumerEntry {
  consumer: types.Consumer;
  peerId: string;
  source: ProducerInfo['source'];
}

export class BriefingSession {
  private state: SessionState = {
    status: 'joining',
    points: [],
    stagePeerId: null,
    micMuted: false,
    cameraOff: false,
    errorCode: null,
    agenda: null,
    presenterPage: null,
    update: null,
    recordIssued: null,
    ownPeerId: null,
  };
  private readonly listeners = new Set<() => void>();
  private device: Device | undefined;
  private sendTransport: types.Transport | undefined;
  private recvTransport: types.Transport | undefined;
  private readonly producers = new Map<'mic' | 'camera', types.Producer>();
  private readonly consumers = new Map<string, ConsumerEntry>();
  private activeSpeakerPeerId: string | null = null;
  private joinOrder: string[] = [];
  private statsTimer: ReturnType<typeof setInterval> | undefined;
  private readonly lastBytes = new Map<string, { bytes: number; at: number }>();
  /** Streams announced while our receive transport is being set up; consumed once it is. */
  private announcedEarly: [string, ProducerInfo][] | null = null;

  private constructor(
    private readonly signaling: SignalingClient,
    private readonly options: JoinOptions,
  ) {
    signaling.on('peerJoined', ({ peer }) => this.addPoint(peer));
    signaling.on('peerLeft', ({ peerId }) => this.removePoint(peerId));
    signaling.on('producerAdded', ({ peerId, producer }) => {
      if (this.announcedEarly) this.announcedEarly.push([peerId, producer]);
      else void this.consume(peerId, producer);
    });
    signaling.on('producerClosed', ({ producerId }) => this.dropConsumerOf(producerId));
    signaling.on('consumerClosed', ({ consumerId }) => this.dropConsumer(consumerId));
    signaling.on('producerPaused', ({ peerId, producerId, paused }) => {
      const entry = [...this.consumers.values()].find((c) => c.consumer.producerId === producerId);
      const flag = entry?.source === 'mic' ? 'micMuted' : 'cameraOff';
      this.updatePoint(peerId, { [flag]: paused });
    });
    signaling.on('activeSpeaker', ({ peerId }) => {
      this.activeSpeakerPeerId = peerId;
      this.updateStage();
    });
    signaling.on('agendaItemChanged', (agenda) => this.set({ agenda }));
    signaling.on('presenterPageChanged', (presenterPage) => this.set({ presenterPage }));
    signaling.on('briefingUpdated', ({ version, changes }) => this.set({ update: { version, changes } }));
    signaling.on('briefingRestarted', () => void this.rejoin());
    signaling.on('recordPublished', (issued) => this.set({ recordIssued: { ...issued, at: Date.now() } }));
    signaling.onClose(() => {
      if (this.state.status !== 'left') this.set({ status: 'disconnected', errorCode: 'connection_lost' });
      this.stopStats();
    });
  }

  /** Connects and joins; throws SignalingError (code `unreachable`, `bad_request`, ...) on failure. */
  static async join(options: JoinOptions): Promise<BriefingSession> {
    const signaling = await SignalingClient.connect(options.serverUrl);
    const session = new BriefingSession(signaling, options);
    try {
      await session.enter();
    } catch (error) {
      signaling.close();
      throw error;
    }
    return session;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): SessionState => this.state;

  async setMicMuted(muted: boolean): Promise<void> {
    await this.setProducerPaused('mic', muted);
    this.set({ micMuted: muted });
  }

  async setCameraOff(off: boolean): Promise<void> {
    await this.setProducerPaused('camera', off);
    this.set({ cameraOff: off });
  }

  /** Moves everyone to an agenda item (the chair's control). */
  async setAgendaItem(index: number): Promise<void> {
    this.set({ agenda: await this.signaling.request('setAgendaItem', { index }) });
  }

  /** Shares the page we present; only this small event crosses the network. */
  async presentPage(page: PresenterPage): Promise<void> {
    this.set({ presenterPage: { ...page, presenterPeerId: this.state.ownPeerId ?? '' } });
    await this.signaling.request('setPresenterPage', page);
  }

  async leave(): Promise<void> {
    this.set({ status: 'left' });
    this.stopStats();
    await this.signaling.request('leave', {}).catch(() => undefined);
    this.closeMedia();
    this.signaling.close();
  }

  private async enter(): Promise<void> {
    this.announcedEarly = [];
    try {
      await this.setUp();
    } finally {
      this.announcedEarly = null;
    }
  }

  private async setUp(): Promise<void> {
    const { routerRtpCapabilities } = await this.signaling.request('getRouterRtpCapabilities', {
      briefingCode: this.options.briefingCode,
    });
    this.device = await createDevice();
    await this.device.load({ routerRtpCapabilities: routerRtpCapabilities as types.RtpCapabilities });
    const joined = await this.signaling.request('join', {
      briefingCode: this.options.briefingCode,
      displayName: this.options.pointName,
      rtpCapabilities: this.device.rtpCapabilities as ResponseData<'getRouterRtpCapabilities'>['routerRtpCapabilities'],
    });
    [this.sendTransport, this.recvTransport] = await Promise.all([this.createTransport('send'), this.createTransport('recv')]);
    // Receiving does not wait for our own camera and microphone to be sent: the operator sees and
    // hears the briefing sooner (the join-time benchmark showed the wait).
    const producing = this.produceLocalTracks();
    this.activeSpeakerPeerId = joined.activeSpeakerPeerId;
    this.set({
      status: 'joined',
      errorCode: null,
      ownPeerId: joined.peerId,
      agenda: joined.agenda,
      presenterPage: joined.presenterPage,
    });
    for (const peer of joined.peers) this.addPoint(peer);
    const early = this.announcedEarly ?? [];
    this.announcedEarly = null;
    await Promise.all([
      ...joined.peers.flatMap((peer) => peer.producers.map((p) => this.consume(peer.id, p))),
      ...early.map(([peerId, producer]) => this.consume(peerId, producer)),
      producing,
    ]);
    this.startStats();
  }

  private async rejoin(): Promise<void> {
    this.set({ status: 'rejoining' });
    this.closeMedia();
    for (let attempt = 0; attempt < 10 && this.state.status === 'rejoining'; attempt++) {
      try {
        await this.enter();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 500 * (attempt + 1)));
      }
    }
    if (this.state.status === 'rejoining') this.set({ status: 'disconnected', errorCode: 'rejoin_failed' });
  }

  private async createTransport(direction: 'send' | 'recv'): Promise<types.Transport> {
    const info = await this.signaling.request('createTransport', { direction });
    const params = info as unknown as types.TransportOptions;
    const transport =
      direction === 'send' ? this.device!.createSendTransport(params) : this.device!.createRecvTransport(params);
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.signaling
        .request('connectTransport', { transportId: transport.id, dtlsParameters: dtlsParameters as never })
        .then(() => callback(), errback);
    });
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        this.signaling
          .request('produce', {
            transportId: transport.id,
            kind,
            source: appData.source as 'mic' | 'camera',
            rtpParameters: rtpParameters as never,
          })
          .then(({ producerId }) => callback({ id: producerId }), errback);
      });
    }
    return transport;
  }

  private async produceLocalTracks(): Promise<void> {
    const audio = this.options.stream.getAudioTracks()[0];
    const video = this.options.stream.getVideoTracks()[0];
    if (audio) {
      const producer = await this.sendTransport!.produce({
        track: audio,
        codecOptions: { opusDtx: true, opusFec: true },
        stopTracks: false,
        appData: { source: 'mic' },
      });
      this.producers.set('mic', producer);
      if (this.state.micMuted) await this.setProducerPaused('mic', true);
    }
    if (video) {
      const producer = await this.sendTransport!.produce({
        track: video,
        encodings: SIMULCAST,
        codecOptions: { videoGoogleStartBitrate: 300 },
        stopTracks: false,
        appData: { source: 'camera' },
      });
      this.producers.set('camera', producer);
      if (this.state.cameraOff) await this.setProducerPaused('camera', true);
    }
  }

  private async setProducerPaused(source: 'mic' | 'camera', paused: boolean): Promise<void> {
    const producer = this.producers.get(source);
    if (!producer) return;
    if (paused) producer.pause();
    else producer.resume();
    await this.signaling.request(paused ? 'pauseProducer' : 'resumeProducer', { producerId: producer.id });
  }

  private async consume(peerId: string, producer: ProducerInfo): Promise<void> {
    if (!this.recvTransport) return;
    if ([...this.consumers.values()].some((c) => c.consumer.producerId === producer.id)) return;
    let info: ResponseData<'consume'>;
    try {
      info = await this.signaling.request('consume', { transportId: this.recvTransport.id, producerId: producer.id });
    } catch (error) {
      // The producer may have closed meanwhile; nothing to show then.
      if (error instanceof SignalingError && error.code === 'not_found') return;
      throw error;
    }
    const consumer = await this.recvTransport.consume({
      id: info.consumerId,
      producerId: info.producerId,
      kind: info.kind,
      rtpParameters: info.rtpParameters as unknown as types.RtpParameters,
    });
    this.consumers.set(consumer.id, { consumer, peerId, source: info.source });
    const flag = info.source === 'mic' ? 'micMuted' : 'cameraOff';
    this.updatePoint(peerId, {
      [info.kind === 'audio' ? 'audioTrack' : 'videoTrack']: consumer.track,
      [flag]: info.producerPaused,
    });
    if (info.kind === 'video') await this.applyLayer(consumer.id, peerId);
    await this.signaling.request('resumeConsumer', { consumerId: consumer.id });
  }

  private dropConsumerOf(producerId: string): void {
    for (const [id, entry] of this.consumers) if (entry.consumer.producerId === producerId) this.dropConsumer(id);
  }

  private dropConsumer(consumerId: string): void {
    const entry = this.consumers.get(consumerId);
    if (!entry) return;
    this.consumers.delete(consumerId);
    entry.consumer.close();
    this.updatePoint(entry.peerId, { [entry.consumer.kind === 'audio' ? 'audioTrack' : 'videoTrack']: null });
  }

  private addPoint(peer: PeerInfo): void {
    if (this.state.points.some((p) => p.peerId === peer.id)) return;
    this.joinOrder.push(peer.id);
    const point: RemotePoint = {
      peerId: peer.id,
      displayName: peer.displayName,
      videoTrack: null,
      audioTrack: null,
      micMuted: peer.producers.some((p) => p.source === 'mic' && p.paused),
      cameraOff: peer.producers.some((p) => p.source === 'camera' && p.paused),
      framesDecoded: 0,
      audioBytesReceived: 0,
      kbpsDown: 0,
    };
    this.set({ points: [...this.state.points, point] });
    this.updateStage();
  }

  private removePoint(peerId: string): void {
    for (const [id, entry] of this.consumers) if (entry.peerId === peerId) this.dropConsumer(id);
    this.joinOrder = this.joinOrder.filter((id) => id !== peerId);
    if (this.activeSpeakerPeerId === peerId) this.activeSpeakerPeerId = null;
    this.set({ points: this.state.points.filter((p) => p.peerId !== peerId) });
    this.updateStage();
  }

  private updatePoint(peerId: string, patch: Partial<RemotePoint>): void {
    this.set({ points: this.state.points.map((p) => (p.peerId === peerId ? { ...p, ...patch } : p)) });
  }

  private updateStage(): void {
    const present = new Set(this.state.points.map((p) => p.peerId));
    const speaker = this.activeSpeakerPeerId && present.has(this.activeSpeakerPeerId) ? this.activeSpeakerPeerId : null;
    const stagePeerId = speaker ?? this.joinOrder.find((id) => present.has(id)) ?? null;
    if (stagePeerId === this.state.stagePeerId) return;
    this.set({ stagePeerId });
    for (const [id, entry] of this.consumers) {
      if (entry.consumer.kind === 'video') void this.applyLayer(id, entry.peerId).catch(() => undefined);
    }
  }

  private applyLayer(consumerId: string, peerId: string): Promise<unknown> {
    const spatialLayer = peerId === this.state.stagePeerId ? STAGE_LAYER : THUMBNAIL_LAYER;
    return this.signaling.request('setConsumerLayer', { consumerId, spatialLayer });
  }

  private startStats(): void {
    this.stopStats();
    this.statsTimer = setInterval(() => void this.refreshStats(), 1000);
  }

  private stopStats(): void {
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = undefined;
  }

  private async refreshStats(): Promise<void> {
    const perPeer = new Map<string, Pick<RemotePoint, 'framesDecoded' | 'audioBytesReceived' | 'kbpsDown'>>();
    const now = performance.now();
    for (const entry of this.consumers.values()) {
      const report = await entry.consumer.getStats().catch(() => undefined);
      const figures = perPeer.get(entry.peerId) ?? { framesDecoded: 0, audioBytesReceived: 0, kbpsDown: 0 };
      report?.forEach((stat: { type: string; framesDecoded?: number; bytesReceived?: number }) => {
        if (stat.type !== 'inbound-rtp') return;
        const bytes = stat.bytesReceived ?? 0;
        if (entry.consumer.kind === 'video') figures.framesDecoded += stat.framesDecoded ?? 0;
        else figures.audioBytesReceived += bytes;
        const last = this.lastBytes.get(entry.consumer.id);
        if (last && now > last.at) figures.kbpsDown += Math.round(((bytes - last.bytes) * 8) / (now - last.at));
        this.lastBytes.set(entry.consumer.id, { bytes, at: now });
      });
      perPeer.set(entry.peerId, figures);
    }
    if (perPeer.size === 0) return;
    this.set({ points: this.state.points.map((p) => ({ ...p, ...perPeer.get(p.peerId) })) });
  }

  private closeMedia(): void {
    for (const entry of this.consumers.values()) entry.consumer.close();
    this.consumers.clear();
    for (const producer of this.producers.values()) producer.close();
    this.producers.clear();
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.sendTransport = undefined;
    this.recvTransport = undefined;
    this.joinOrder = [];
    this.set({ points: [], stagePeerId: null });
  }

  private set(patch: Partial<SessionState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }
}
