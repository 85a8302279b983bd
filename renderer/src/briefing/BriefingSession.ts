// A meeting point's part in one briefing: joins with its invite code (or waits in the lobby),
// keeps its seat over broken links by reconnecting by itself, follows the chair's control of the
// floor, and decides what each remote point's video costs this point's link.
import type { ControlState, LinkHealth, Method, PeerInfo, PresenterPage, ProducerInfo, RequestData, ResponseData } from '../../../sfu-server/protocol';
import { DATA_SAVING_RESPITE_MS, DOWNLINK_SHORT_SAMPLES, WEAK_LINK_SAMPLES, linkQuality, micAllowed } from '../../../sfu-server/protocol/rules';
import { markJoin } from './joinMarks';
import { MediaSession } from './MediaSession';
import { type TransportInfo, requestTransports } from './mediaTransports';
import { type PreparedLink, preparedOrNewLink } from './preparedLink';
import { LinkReporter } from './linkReport';
import { ReceiveStats } from './receiveStats';
import { TRY_TIMEOUT_MS, keepReconnecting } from './reconnect';
import { ChairActions, PointActions } from './actions';
import { SignalingClient, SignalingError } from './SignalingClient';
import { type RemotePoint, type SessionState, SessionStore, newRemotePoint } from './sessionStore';
import { chooseStage, placementOf, thumbnailPageCount } from './stage';

export type { RemotePoint, SessionState, SessionStatus } from './sessionStore';

export interface JoinOptions {
  serverUrl: string;
  briefingCode: string;
  pointName: string;
  stream: MediaStream;
  /** The seat's invite code; without one the point waits in the lobby for the chair. */
  credential?: string;
  /** Media only through the district's TURN server. */
  relayOnly?: boolean;
}

export class BriefingSession {
  /** What the UI reads; only this session writes it. */
  private readonly store = new SessionStore();
  private get state(): SessionState {
    return this.store.getState();
  }
  private signaling: SignalingClient | undefined;
  private media: MediaSession | undefined;
  private seatSecret: string | undefined;
  private activeSpeakerPeerId: string | null = null;
  private joinOrder: string[] = [];
  /** What this point receives of each remote point, every second, onto its tile; a video that
   * brings nothing though asked for is asked for again. */
  private readonly stats = new ReceiveStats((perPeer, videoPackets) => {
    this.set({ points: this.state.points.map((p) => ({ ...p, ...perPeer.get(p.peerId) })) });
    this.media?.askAgainForDark(videoPackets);
  });
  /** This point's own link figures, to the server for the chair's board. */
  private readonly linkReporter = new LinkReporter(() => this.media?.transportStats(), (figures) => this.request('reportLink', figures));
  private weakSamples = 0;
  private heldBackSamples = 0;
  /** When the operator last turned data saving off: not turned on again by itself for a while. */
  private dataSavingRefusedAt = -Infinity;
  /** The stage's width on screen (device pixels), kept for the media of a reconnect. */
  private stageWidthPx: number | undefined;
  /** Streams announced while our receive transport is being set up; consumed once it is. */
  private announcedEarly: [string, PeerInfo['producers'][number]][] | null = null;
  private reconnecting = false;

  private constructor(private readonly options: JoinOptions) {}

  /** Connects (or takes the link opened ahead) and joins, or enters the lobby; throws
   * SignalingError (`unreachable`, `bad_credential`, `capacity`, …) when that fails. */
  static async join(options: JoinOptions, prepared?: Promise<PreparedLink> | null): Promise<BriefingSession> {
    const session = new BriefingSession(options);
    await session.connect(8000, (await prepared) ?? undefined);
    return session;
  }

  subscribe = (listener: () => void): (() => void) => this.store.subscribe(listener);
  getState = (): SessionState => this.store.getState();

  async setMicMuted(muted: boolean): Promise<void> {
    if (!muted && this.state.micHeld) return;
    await this.media?.setProducerPaused('mic', muted);
    this.set({ micMuted: muted });
  }

  async setCameraOff(off: boolean): Promise<void> {
    await this.media?.setProducerPaused('camera', off);
    this.set({ cameraOff: off });
  }

  /** Audio only: our camera stops going out and no video comes in. */
  async setAudioOnly(audioOnly: boolean): Promise<void> {
    this.set({ audioOnly, weakLink: false });
    this.weakSamples = 0;
    await this.media?.setProducerPaused('camera', audioOnly || this.state.cameraOff);
    await this.media?.replace();
    await this.request('setAudioOnly', { audioOnly });
  }

  /** Data saving on or off, as the operator chose. */
  async setDataSaving(on: boolean): Promise<void> {
    if (!on) this.dataSavingRefusedAt = performance.now();
    this.set({ dataSaving: on, dataSavingByItself: false });
    await this.media?.setDataSaving(on);
  }

  /** The stage's width on screen in device pixels, as the view lays it out. */
  setStageWidth(widthPx: number): void {
    this.stageWidthPx = widthPx;
    void this.media?.setStageWidth(widthPx).catch((error: unknown) => console.warn('[media] stage layer not changed:', error));
  }

  showThumbnailPage(page: number): void {
    const pages = thumbnailPageCount(this.thumbnailOrder().length);
    this.set({ thumbnailPage: Math.min(Math.max(0, page), pages - 1) });
    void this.media?.replace();
  }

  /** The remote points on the thumbnail strip, in the order they joined. */
  thumbnailOrder(): RemotePoint[] {
    return this.joinOrder.map((id) => this.state.points.find((p) => p.peerId === id)).filter((p): p is RemotePoint => !!p && p.peerId !== this.state.stagePeerId);
  }

  /** The chair's and a point's actions, typed (the components' only way to the protocol). */
  readonly chair = new ChairActions((method, data) => this.request(method, data));
  readonly point = new PointActions((method, data) => this.request(method, data));

  private request<M extends Method>(method: M, data: RequestData<M>): Promise<ResponseData<M>> {
    if (!this.signaling) return Promise.reject(new SignalingError('closed', 'not connected'));
    return this.signaling.request(method, data);
  }

  async setAgendaItem(index: number): Promise<void> {
    this.set({ agenda: await this.request('setAgendaItem', { index }) });
  }

  async presentPage(page: PresenterPage): Promise<void> {
    this.set({ presenterPage: { ...page, presenterPeerId: this.state.ownPeerId ?? '' } });
    await this.request('setPresenterPage', page);
  }

  async leave(): Promise<void> {
    this.set({ status: 'left' });
    this.stats.stop();
    this.linkReporter.stop();
    await this.request('leave', {}).catch(() => undefined);
    this.closeMedia();
    this.signaling?.close();
  }

  // --- connecting, the lobby and reconnecting -----------------------------------------------------

  private async connect(timeoutMs: number, prepared?: PreparedLink): Promise<void> {
    const { signaling, device } = await preparedOrNewLink(this.options.serverUrl, timeoutMs, prepared);
    markJoin('connected');
    this.signaling = signaling;
    this.listen(signaling);
    try {
      await this.enter(signaling, device);
    } catch (error) {
      signaling.close();
      throw error;
    }
  }

  private async enter(signaling: SignalingClient, device?: PreparedLink['device']): Promise<void> {
    this.announcedEarly = [];
    try {
      const events = { track: this.onTrack.bind(this), failed: (what: string, error: unknown) => this.mediaFailed(media, what, error) };
      const media = await MediaSession.load(signaling, this.options.briefingCode, events, this.options.relayOnly, device);
      markJoin('capabilities');
      const joining = signaling.request('join', {
        briefingCode: this.options.briefingCode,
        displayName: this.options.pointName,
        rtpCapabilities: media.rtpCapabilities,
        ...(this.options.credential ? { credential: this.options.credential } : {}),
        ...(this.seatSecret ? { resume: this.seatSecret } : {}),
      });
      const transports = requestTransports(signaling);
      const joined = await joining;
      if (joined.status === 'lobby') {
        media.close();
        this.set({ status: 'lobby', errorCode: null });
        return;
      }
      try {
        await this.seated(media, joined, transports);
      } catch (error) {
        // A try cut short leaves nothing behind: points it took in that left before the next try would stay as ghosts.
        if (this.media === media) this.closeMedia();
        throw error;
      }
    } finally {
      this.announcedEarly = null;
    }
  }

  private async seated(media: MediaSession, joined: Extract<ResponseData<'join'>, { status: 'joined' }>, transports: Promise<[TransportInfo, TransportInfo]>): Promise<void> {
    this.media = media;
    media.placement = (peerId) => this.placement(peerId);
    // The answer is the briefing as it stood when the server sent it; every notification after it
    // is newer. It is taken in before anything here waits, so no speaker change, point leaving or
    // agenda step heard while the transports open is undone by it.
    this.seatSecret = joined.seatSecret;
    this.activeSpeakerPeerId = joined.activeSpeakerPeerId;
    const { peerId: ownPeerId, seatId, seat, role, agenda, presenterPage, control } = joined;
    this.set({ ownPeerId, seatId, seat, role, agenda, presenterPage, control });
    this.applyControl(control);
    for (const peer of joined.peers) this.addPoint(peer);
    markJoin('seated');
    await media.setDataSaving(this.state.dataSaving);
    if (this.stageWidthPx) await media.setStageWidth(this.stageWidthPx);
    await media.openTransports(transports);
    markJoin('transports');
    // The briefing shows once seated: it waits neither for our camera and microphone nor for the
    // streams already there (on an old PC each took seconds, the operator facing the pre-join form
    // meanwhile). The streams are asked for before it is drawn, so the server makes them while the
    // page draws; ours go out once they are received, or after a second: started at once, their
    // encoder and SDP work held the first remote picture back on the page's one thread.
    const early = this.announcedEarly ?? [];
    this.announcedEarly = null;
    const present = new Set(this.state.points.map((p) => p.peerId));
    const streams = joined.peers.filter((peer) => present.has(peer.id)).flatMap((peer) => peer.producers.map((p) => [peer.id, p] as [string, ProducerInfo]));
    const received = media.receive([...streams, ...early]);
    void Promise.race([received.catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]).then(() => this.send(media));
    this.set({ status: 'joined', errorCode: null });
    this.stats.start(() => this.media?.consumers.values());
    this.linkReporter.start();
    received.then(
      async () => {
        if (this.state.audioOnly) await this.request('setAudioOnly', { audioOnly: true }).catch(() => undefined);
      },
      (error: unknown) => this.mediaFailed(media, "the briefing's streams could not be received", error),
    );
  }

  /** Our camera and microphone out (a switch pressed meanwhile is followed: MediaSession). */
  private async send(media: MediaSession): Promise<void> {
    try {
      await media.produce(this.options.stream, { micMuted: this.state.micMuted, cameraOff: this.state.cameraOff || this.state.audioOnly });
      markJoin('sending');
    } catch (error) {
      this.mediaFailed(media, 'our camera and microphone could not be sent', error);
    }
  }

  /** Sending or receiving that fails on a link still up (answers lost, no media path) is a broken
   * link: reconnecting builds it again. A refusal is the server's answer: the point stays. */
  private mediaFailed(media: MediaSession, what: string, error: unknown): void {
    if (this.media !== media || this.state.status !== 'joined') return;
    const refused = error instanceof SignalingError && !['timeout', 'closed'].includes(error.code);
    console.warn(`[media] ${what}${refused ? '' : '; reconnecting'}:`, error);
    // Said on screen: before the join ended once seated, a refusal here was the join's error.
    if (refused) this.set({ errorCode: error.code });
    else void this.reconnect();
  }

  /** A dropped link or a restarted server: build everything again on a new link, taking the same
   * seat back with its secret. Tries until it works or the operator leaves. */
  private async reconnect(): Promise<void> {
    if (this.reconnecting || this.state.status === 'left' || this.state.status === 'refused') return;
    this.reconnecting = true;
    this.set({ status: 'reconnecting' });
    this.stats.stop();
    this.linkReporter.stop();
    this.closeMedia();
    this.signaling?.close();
    const outcome = await keepReconnecting((attempt) => this.connect(TRY_TIMEOUT_MS(attempt)), {
      stillWanted: () => this.state.status === 'reconnecting',
      isFinal: (error) => error instanceof SignalingError && ['bad_credential', 'forbidden'].includes(error.code),
    });
    if (outcome.kind === 'refused') this.set({ status: 'disconnected', errorCode: (outcome.error as SignalingError).code });
    this.reconnecting = false;
  }

  private listen(signaling: SignalingClient): void {
    const mine = () => this.signaling === signaling;
    signaling.on('peerJoined', ({ peer }) => mine() && this.addPoint(peer));
    signaling.on('peerLeft', ({ peerId }) => mine() && this.removePoint(peerId));
    signaling.on('producerAdded', ({ peerId, producer }) => {
      if (!mine()) return;
      if (this.announcedEarly) this.announcedEarly.push([peerId, producer]);
      // A consume cut by a lost connection is not an error to show: the session reconnects and
      // consumes everything again.
      else this.media?.receiveAnnounced(peerId, producer);
    });
    signaling.on('producerClosed', ({ producerId }) => mine() && this.media?.dropConsumerOf(producerId));
    signaling.on('consumerClosed', ({ consumerId }) => mine() && this.media?.dropConsumer(consumerId));
    signaling.on('producerLayers', ({ producerId, spatialLayer }) => {
      if (mine()) this.media?.limitLayers(producerId, spatialLayer).catch((error: unknown) => console.warn('[media] layers not changed:', error));
    });
    signaling.on('producerPaused', ({ peerId, producerId, paused }) => {
      if (!mine()) return;
      if (peerId === this.state.ownPeerId) {
        // The chair (or the floor mode) paused or opened our microphone on the server.
        if (this.media?.followServer(producerId, paused) === 'mic') this.set({ micMuted: paused });
        return;
      }
      const source = this.media?.senderPaused(producerId, paused);
      this.updatePoint(peerId, { [source === 'mic' ? 'micMuted' : 'cameraOff']: paused });
    });
    signaling.on('activeSpeaker', ({ peerId }) => {
      if (!mine()) return;
      this.activeSpeakerPeerId = peerId;
      this.updateStage();
    });
    signaling.on('agendaItemChanged', (agenda) => mine() && this.set({ agenda }));
    signaling.on('presenterPageChanged', (presenterPage) => mine() && this.set({ presenterPage }));
    signaling.on('briefingUpdated', ({ version, changes }) => mine() && this.set({ update: { version, changes } }));
    signaling.on('briefingRestarted', () => mine() && void this.reconnect());
    signaling.on('recordPublished', (issued) => mine() && this.set({ recordIssued: { ...issued, at: Date.now() } }));
    signaling.on('controlChanged', (control) => mine() && this.applyControl(control));
    signaling.on('linkHealth', ({ links }) => mine() && this.applyLinks(links));
    signaling.on('admitted', () => mine() && void this.enter(signaling).catch(() => this.set({ status: 'disconnected', errorCode: 'rejoin_failed' })));
    signaling.on('refused', () => mine() && this.set({ status: 'refused', errorCode: 'refused' }));
    signaling.on('seatTakenOver', () => {
      if (!mine()) return;
      this.set({ status: 'disconnected', errorCode: 'seat_taken' });
      this.closeMedia();
    });
    signaling.onClose(() => {
      if (!mine()) return;
      if (this.state.status === 'joined' || this.state.status === 'lobby') void this.reconnect();
    });
  }

  // --- the chair's control ------------------------------------------------------------------------

  private applyControl(control: ControlState): void {
    const own = control.seats.find((s) => s.seatId === this.state.seatId);
    const allowed = !own || micAllowed(own, control.floor);
    this.set({ control, role: own?.role ?? this.state.role, micHeld: !allowed });
    this.updateStage();
  }

  private applyLinks(links: Record<string, LinkHealth>): void {
    const own = this.state.seatId ? links[this.state.seatId] : undefined;
    const weak = linkQuality(own) === 'poor';
    this.weakSamples = weak ? this.weakSamples + 1 : 0;
    // Three samples in a row (about 9 s), so one burst of loss does not nag the operator.
    this.set({ links, weakLink: !this.state.audioOnly && this.weakSamples >= WEAK_LINK_SAMPLES });
    // The stage held back by a link too narrow for it, about 9 s on end: save data by itself.
    this.heldBackSamples = own?.stageHeldBack ? this.heldBackSamples + 1 : 0;
    const refusedLately = performance.now() - this.dataSavingRefusedAt < DATA_SAVING_RESPITE_MS;
    if (this.heldBackSamples >= DOWNLINK_SHORT_SAMPLES && !this.state.dataSaving && !refusedLately) {
      this.set({ dataSaving: true, dataSavingByItself: true });
      void this.media?.setDataSaving(true);
    }
  }

  private updateStage(): void {
    const stagePeerId = chooseStage({
      points: this.state.points,
      control: this.state.control,
      activeSpeakerPeerId: this.activeSpeakerPeerId,
      joinOrder: this.joinOrder,
    });
    if (stagePeerId === this.state.stagePeerId) return;
    this.set({ stagePeerId });
    void this.media?.replace();
  }

  private placement(peerId: string): 'stage' | 'thumbnail' | 'hidden' {
    const { audioOnly, stagePeerId, thumbnailPage } = this.state;
    return placementOf(peerId, { audioOnly, stagePeerId, thumbnails: this.thumbnailOrder().map((p) => p.peerId), page: thumbnailPage });
  }

  // --- remote points ------------------------------------------------------------------------------

  private onTrack(peerId: string, kind: 'audio' | 'video', track: MediaStreamTrack | null, producerPaused?: boolean, source?: 'mic' | 'camera'): void {
    const patch: Partial<RemotePoint> = { [kind === 'audio' ? 'audioTrack' : 'videoTrack']: track };
    if (producerPaused !== undefined) patch[source === 'mic' ? 'micMuted' : 'cameraOff'] = producerPaused;
    this.updatePoint(peerId, patch);
  }

  private addPoint(peer: PeerInfo): void {
    if (this.state.points.some((p) => p.peerId === peer.id)) return;
    this.joinOrder.push(peer.id);
    this.set({ points: [...this.state.points, newRemotePoint(peer)] });
    this.updateStage();
  }

  private removePoint(peerId: string): void {
    this.media?.dropPeer(peerId);
    this.joinOrder = this.joinOrder.filter((id) => id !== peerId);
    if (this.activeSpeakerPeerId === peerId) this.activeSpeakerPeerId = null;
    this.set({ points: this.state.points.filter((p) => p.peerId !== peerId) });
    this.updateStage();
    void this.media?.replace();
  }

  private updatePoint(peerId: string, patch: Partial<RemotePoint>): void {
    this.set({ points: this.state.points.map((p) => (p.peerId === peerId ? { ...p, ...patch } : p)) });
    if ('micMuted' in patch) this.updateStage();
  }

  private closeMedia(): void {
    this.media?.close();
    this.media = undefined;
    this.joinOrder = [];
    this.set({ points: [], stagePeerId: null });
  }

  private set(patch: Partial<SessionState>): void {
    this.store.set(patch);
  }
}
