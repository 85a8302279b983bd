// The media side of a meeting point in a briefing, over one signaling link: the mediasoup-client
// device, a send and a receive transport, our camera and microphone, and a consumer per remote
// stream, each on the simulcast layer its place on screen needs, or paused when it is off screen.
// A new link (after a reconnection) gets a new MediaSession; the old one is closed.
import type { Device, types } from 'mediasoup-client';
import { CAMERA_LAYERS, CONSUME_BATCH_MAX, type ConsumerWish, type ProducerInfo, type ResponseData } from '../../../sfu-server/protocol';
import { DarkVideos } from './darkVideos';
import { markJoin } from './joinMarks';
import { type TransportInfo, createTransport, loadDevice, requestTransports } from './mediaTransports';
import { type Placement, type ReceiveMode, sameWish, stageLayerFor, wishFor } from './receiveWish';
import { type SignalingClient, SignalingError } from './SignalingClient';
import { StillFrames } from './stillFrames';

const SIMULCAST: types.RtpEncodingParameters[] = CAMERA_LAYERS.map((layer) => ({ ...layer }));
/** Streams announced one by one within this long are asked for in one request. */
const ANNOUNCED_GATHER_MS = 150;
/** Streams whose answer was lost are asked for again this many times, soon and then less often. */
const RECEIVE_ATTEMPTS = 5;
const receiveRetryMs = (attempt: number) => Math.min(10_000, 1000 * 2 ** (attempt - 1));

export interface ConsumerEntry {
  consumer: types.Consumer;
  peerId: string;
  source: ProducerInfo['source'];
  /** The layers the server was last asked for (at creation or since). */
  layers: ConsumerWish | undefined;
  /** Resumed on the server: consumers start paused there until the track is wired up. */
  flowing: boolean;
  /** Its sender paused it (a camera turned off, a microphone without the floor). */
  senderPaused: boolean;
}

type MadeConsumer = { info: ResponseData<'consumeMany'>['consumers'][number]; consumer: types.Consumer };

export interface MediaEvents {
  track(peerId: string, kind: 'audio' | 'video', track: MediaStreamTrack | null, producerPaused?: boolean, source?: ProducerInfo['source']): void;
  /** Sending or receiving broke where no caller waits to hear it (a transport's connection). */
  failed(what: string, error: unknown): void;
}

export class MediaSession {
  private sendTransport: types.Transport | undefined;
  private recvTransport: types.Transport | undefined;
  readonly producers = new Map<'mic' | 'camera', types.Producer>();
  /** Switches made before their producer exists (see `setProducerPaused`). */
  private readonly switchesBeforeProducing = new Map<'mic' | 'camera', boolean>();
  /** The layer the server last allowed each of our cameras, kept for one not yet known here. */
  private readonly layersTold = new Map<string, number>();
  /** The layer changes in turn (see `applyLayersTold`). */
  private layersApplied: Promise<void> = Promise.resolve();
  readonly consumers = new Map<string, ConsumerEntry>();
  /** Streams asked for and not yet answered, so one announced twice is received once. */
  private readonly asked = new Set<string>();
  /** Streams announced and not yet asked for (see `receiveAnnounced`). */
  private announced: [peerId: string, producer: ProducerInfo][] = [];
  private announcedTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  /** Decides, per remote point, how its video is shown (set by the session). */
  placement: (peerId: string) => Placement = () => 'thumbnail';
  private readonly mode: ReceiveMode = { dataSaving: false };
  private readonly stills = new StillFrames(
    () => [...this.consumers.values()].filter((e) => e.consumer.kind === 'video' && this.placement(e.peerId) === 'thumbnail').map((e) => e.consumer.id),
    () => {
      if (!this.closed) void this.replace();
    },
  );
  private readonly darkVideos = new DarkVideos();

  /** `load` makes one for a briefing's link; only requests are made on it. */
  constructor(
    private readonly signaling: Pick<SignalingClient, 'request'>,
    readonly device: Device,
    private readonly events: MediaEvents,
    /** Only through the TURN relay: for networks that let nothing else through. */
    private readonly relayOnly: boolean,
  ) {}

  /** Loads a device for the briefing's router, unless one was loaded ahead (preparedLink.ts). */
  static async load(signaling: SignalingClient, briefingCode: string, events: MediaEvents, relayOnly = false, loaded?: Device): Promise<MediaSession> {
    return new MediaSession(signaling, loaded ?? (await loadDevice(signaling, briefingCode)), events, relayOnly);
  }

  get rtpCapabilities(): ResponseData<'getRouterRtpCapabilities'>['routerRtpCapabilities'] {
    return this.device.recvRtpCapabilities;
  }

  /** Opens the transports the server made (asked for now, unless already asked behind the join). */
  async openTransports(requested: Promise<[TransportInfo, TransportInfo]> = requestTransports(this.signaling)): Promise<void> {
    const [send, recv] = await requested;
    const connectFailed = (error: unknown) => this.events.failed('a media connection was not accepted', error);
    const options = { device: this.device, signaling: this.signaling, relayOnly: this.relayOnly, isClosed: () => this.closed, connectFailed };
    this.sendTransport = createTransport('send', send, options);
    this.recvTransport = createTransport('recv', recv, options);
  }

  async produce(stream: MediaStream, initially: { micMuted: boolean; cameraOff: boolean }): Promise<void> {
    const audio = stream.getAudioTracks().at(0);
    const video = stream.getVideoTracks().at(0);
    const transport = this.sendTransport;
    if (!transport) throw new Error('open the transports before producing');
    if (audio) {
      const producer = await transport.produce({ track: audio, codecOptions: { opusDtx: true, opusFec: true }, stopTracks: false, appData: { source: 'mic' } });
      this.producers.set('mic', producer);
      if (this.switchedWhileStarting('mic') ?? initially.micMuted) await this.setProducerPaused('mic', true);
    }
    if (video) {
      const producer = await transport.produce({ track: video, encodings: SIMULCAST, codecOptions: { videoGoogleStartBitrate: 300 }, stopTracks: false, appData: { source: 'camera' } });
      this.producers.set('camera', producer);
      // The server's first word on layers can arrive before produce() resolves here.
      await this.applyLayersTold();
      if (this.switchedWhileStarting('camera') ?? initially.cameraOff) await this.setProducerPaused('camera', true);
    }
  }

  /** The operator's last switch of a source made while its producer was being made, if any. */
  private switchedWhileStarting(source: 'mic' | 'camera'): boolean | undefined {
    const paused = this.switchesBeforeProducing.get(source);
    this.switchesBeforeProducing.delete(source);
    return paused;
  }

  async setProducerPaused(source: 'mic' | 'camera', paused: boolean): Promise<void> {
    const producer = this.producers.get(source);
    // Not sending yet (an old PC still starting its camera and microphone): kept, and followed
    // once the producer is made. Dropped, a microphone muted during the join went out live.
    if (!producer) {
      this.switchesBeforeProducing.set(source, paused);
      return;
    }
    if (paused) producer.pause();
    else producer.resume();
    await this.signaling.request(paused ? 'pauseProducer' : 'resumeProducer', { producerId: producer.id });
  }

  /** The highest layer of our camera anyone receives now (the server counts): encode no more, so a
   * commune off stage sends only its thumbnail and its PC skips the larger encodes. */
  async limitLayers(producerId: string, spatialLayer: number): Promise<void> {
    this.layersTold.set(producerId, spatialLayer);
    await this.applyLayersTold();
  }

  /** Applies the server's last word on our camera's layers, one change at a time: mediasoup-client
   * skips a change to the layer its previous change (still being applied) started from, so an
   * "all layers" then "thumbnail only" told in quick succession (a floor given and taken back, a
   * mode switched) left all three encoding. */
  private applyLayersTold(): Promise<void> {
    const apply = async () => {
      const camera = this.producers.get('camera');
      const told = camera && this.layersTold.get(camera.id);
      if (!camera || camera.closed || told === undefined) return;
      await camera.setMaxSpatialLayer(told);
    };
    this.layersApplied = this.layersApplied.then(apply, apply);
    return this.layersApplied;
  }

  /** The server paused or resumed our own producer (the chair's floor control): follow it. */
  followServer(producerId: string, paused: boolean): 'mic' | 'camera' | null {
    for (const [source, producer] of this.producers) {
      if (producer.id !== producerId) continue;
      if (paused) producer.pause();
      else producer.resume();
      return source;
    }
    return null;
  }

  /** A stream announced as its point starts sending. When 200 points join, their 400 streams
   * are announced within seconds: gathered, they are asked for in a few requests. One request
   * each queued 400 on this link (the server answers a link's requests in turn), the last
   * answers came after the requests had timed out, and those streams stayed dark. */
  receiveAnnounced(peerId: string, producer: ProducerInfo): void {
    this.announced.push([peerId, producer]);
    this.announcedTimer ??= setTimeout(() => {
      this.announcedTimer = undefined;
      const streams = this.announced;
      this.announced = [];
      this.receive(streams).catch((error: unknown) => console.warn('[media] streams not received:', error));
    }, ANNOUNCED_GATHER_MS);
  }

  /** Receives these streams, asking again for those whose answer was lost (late on a weak link
   * or from a busy server): the server answers a repeated ask with the stream already made, so
   * asking again costs nothing there. A lost link is not retried here: the session reconnects and
   * receives everything anew. */
  async receive(streams: [peerId: string, producer: ProducerInfo][]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.consume(streams);
        return;
      } catch (error) {
        const lost = error instanceof SignalingError && error.code === 'timeout';
        if (this.closed || !lost || attempt === RECEIVE_ATTEMPTS) throw error;
        console.warn(`[media] no answer for ${streams.length} stream(s) (try ${attempt}); asking again`);
        await new Promise((resolve) => setTimeout(resolve, receiveRetryMs(attempt)));
      }
    }
  }

  /** One request makes the streams not yet received on the server (paused, each video at the
   * layer its place wants), the tracks are wired up here, and one more request resumes those
   * shown. A chair joining 200 points makes two requests, not a thousand. */
  private async consume(streams: [peerId: string, producer: ProducerInfo][]): Promise<void> {
    // Asked meanwhile by another call: that call sees it through.
    const mine = streams.filter(([, producer]) => !this.asked.has(producer.id));
    for (const [, producer] of mine) this.asked.add(producer.id);
    try {
      for (let from = 0; from < mine.length; from += CONSUME_BATCH_MAX) await this.consumeBatch(mine.slice(from, from + CONSUME_BATCH_MAX));
    } finally {
      for (const [, producer] of mine) this.asked.delete(producer.id);
    }
  }

  private async consumeBatch(streams: [peerId: string, producer: ProducerInfo][]): Promise<void> {
    const transport = this.recvTransport;
    if (!transport || this.closed || streams.length === 0) return;
    const received = new Set([...this.consumers.values()].map((e) => e.consumer.producerId));
    const wanted = streams.filter(([, producer]) => !received.has(producer.id));
    const made = wanted.length > 0 ? await this.makeConsumers(transport, wanted) : [];
    // Sound always; a video when it is to flow at the layers it was made with. Those made by an
    // earlier ask whose resume went unanswered are resumed now.
    const ids = new Set(streams.map(([, producer]) => producer.id));
    const entries = [...this.consumers.values()].filter((e) => ids.has(e.consumer.producerId));
    const resume = entries.filter((e) => !this.closed && !e.flowing && (e.consumer.kind === 'audio' || e.layers !== undefined));
    const resumed = resume.length > 0 ? this.signaling.request('resumeConsumers', { consumerIds: resume.map((e) => e.consumer.id) }) : undefined;
    // Handed to the view once the resume is on its way: the view draws them before this code goes
    // on, and drawing a briefing's tiles on a slow PC held the resume back many times over.
    this.showTracks(made);
    if (!resumed) return;
    const { gone } = await resumed;
    markJoin('streams-resumed');
    // Resumed on this side too: one `place` paused meanwhile (a repeated ask, the stage moving
    // away and back) stayed inactive in the browser while the server sent it.
    for (const entry of resume) {
      entry.flowing = true;
      entry.consumer.resume();
    }
    for (const consumerId of gone) this.dropConsumer(consumerId);
    // The stage may have moved while these were made: each video follows where it is shown now.
    await Promise.all(entries.filter((e) => e.consumer.kind === 'video' && this.consumers.has(e.consumer.id)).map((e) => this.placeOrSay(e)));
  }

  private async makeConsumers(transport: types.Transport, streams: [peerId: string, producer: ProducerInfo][]): Promise<MadeConsumer[]> {
    const wishes = new Map(streams.map(([peerId, producer]) => [producer.id, producer.kind === 'video' ? wishFor(this.placement(peerId), this.mode) : null] as const));
    const { consumers, refused } = await this.signaling.request('consumeMany', {
      transportId: transport.id,
      producers: streams.map(([, producer]) => {
        const wish = wishes.get(producer.id);
        return { producerId: producer.id, ...(wish ? { wish } : {}) };
      }),
    });
    markJoin('streams-made');
    // A stream that ended meanwhile is nothing to show; anything else is worth a line in the log.
    for (const r of refused) if (r.code !== 'not_found') console.warn(`[media] a stream was not received (${r.code}): ${r.message}`);
    const made = await Promise.all(
      consumers.map(async (info) => {
        const consumer = await transport.consume({ id: info.consumerId, producerId: info.producerId, kind: info.kind, rtpParameters: info.rtpParameters as unknown as types.RtpParameters });
        if (this.closed) {
          consumer.close();
          return [];
        }
        this.consumers.set(consumer.id, { consumer, peerId: info.peerId, source: info.source, layers: wishes.get(info.producerId) ?? undefined, flowing: false, senderPaused: info.producerPaused });
        return [{ info, consumer }];
      }),
    );
    markJoin('streams-wired');
    return made.flat();
  }

  /** Handed to the view in one task: one render for the batch, not 400 (joining a province). */
  private showTracks(made: MadeConsumer[]): void {
    for (const { info, consumer } of made) this.events.track(info.peerId, info.kind, consumer.track, info.producerPaused, info.source);
  }

  /** Saving data: the stage small, thumbnails as still frames refreshed one at a time. */
  async setDataSaving(on: boolean): Promise<void> {
    if (this.mode.dataSaving === on) return;
    this.mode.dataSaving = on;
    if (on) this.stills.start();
    else this.stills.stop();
    await this.replace();
  }

  /** The layers this video should flow at now, or null (see wishFor). */
  private wishOf(entry: ConsumerEntry): ConsumerWish | null {
    return wishFor(this.placement(entry.peerId), this.mode, this.stills.refreshing(entry.consumer.id));
  }

  /** The stage was laid out at a new size: its video follows if that needs another layer. */
  async setStageWidth(widthPx: number): Promise<void> {
    const before = stageLayerFor(this.mode.stageWidthPx);
    this.mode.stageWidthPx = widthPx;
    if (stageLayerFor(widthPx) !== before) await this.replace();
  }

  /** Puts every video stream on the layer its place needs; streams off screen are paused on the
   * server, so they cost this point's link nothing. */
  async replace(): Promise<void> {
    await Promise.all([...this.consumers.values()].filter((e) => e.consumer.kind === 'video').map((e) => this.placeOrSay(e)));
  }

  /** A remote point paused or resumed one of its streams: which source that is, if received here. */
  senderPaused(producerId: string, paused: boolean): ProducerInfo['source'] | undefined {
    const entry = [...this.consumers.values()].find((e) => e.consumer.producerId === producerId);
    if (entry) entry.senderPaused = paused;
    return entry?.source;
  }

  /** Asks again for the videos that should flow and bring no packet (see DarkVideos), given each
   * video's packets so far. */
  askAgainForDark(videoPackets: ReadonlyMap<string, number>): void {
    const videos = [...this.consumers.values()].filter((e) => e.consumer.kind === 'video');
    const watched = videos.map((e) => ({
      consumerId: e.consumer.id,
      // Shown, whether or not its resume was sent: a placement never made leaves it dark too.
      shouldFlow: !e.senderPaused && this.wishOf(e) !== null,
      packets: videoPackets.get(e.consumer.id) ?? 0,
    }));
    for (const { consumerId, firstTime } of this.darkVideos.due(watched, performance.now())) {
      const entry = this.consumers.get(consumerId);
      const wish = entry && this.wishOf(entry);
      if (!entry || !wish || this.closed) continue;
      // One still being received (a join's 400 streams resumed in one go) is asked early, unsaid.
      if (firstTime && entry.flowing) console.warn(`[media] no picture of ${entry.peerId} has come though it is asked for; asking again`);
      entry.layers = wish;
      entry.flowing = true;
      entry.consumer.resume();
      this.signaling
        .request('setConsumerLayer', { consumerId, ...wish })
        .then(() => this.signaling.request('resumeConsumer', { consumerId }))
        .catch((error: unknown) => console.warn('[media] a dark video could not be asked for again:', error));
    }
  }

  dropConsumerOf(producerId: string): void {
    for (const [id, entry] of this.consumers) if (entry.consumer.producerId === producerId) this.dropConsumer(id);
  }

  dropConsumer(consumerId: string): void {
    const entry = this.consumers.get(consumerId);
    if (!entry) return;
    this.consumers.delete(consumerId);
    entry.consumer.close();
    this.events.track(entry.peerId, entry.consumer.kind, null);
  }

  dropPeer(peerId: string): void {
    for (const [id, entry] of this.consumers) if (entry.peerId === peerId) this.dropConsumer(id);
  }

  /** Bytes and packets of our transports, for the link figures. */
  async transportStats(): Promise<RTCStatsReport[]> {
    return Promise.all([this.sendTransport, this.recvTransport].filter((t): t is types.Transport => !!t).map((t) => t.getStats()));
  }

  close(): void {
    this.closed = true;
    this.stills.stop();
    clearTimeout(this.announcedTimer);
    for (const entry of this.consumers.values()) entry.consumer.close();
    this.consumers.clear();
    for (const producer of this.producers.values()) producer.close();
    this.producers.clear();
    this.sendTransport?.close();
    this.recvTransport?.close();
  }

  /** A video that could not be moved is said in the log; the dark-video watch asks again for one
   * left dark (a lost resume), and a lost pause costs only the link until the next move. */
  private async placeOrSay(entry: ConsumerEntry): Promise<void> {
    await this.place(entry).catch((error: unknown) => {
      if (!this.closed && this.consumers.has(entry.consumer.id)) console.warn('[media] a video was not moved to its place:', error);
    });
  }

  private async place(entry: ConsumerEntry): Promise<void> {
    const wish = this.wishOf(entry);
    const consumerId = entry.consumer.id;
    if (!wish) {
      if (!entry.flowing) return;
      entry.flowing = false;
      entry.consumer.pause();
      await this.signaling.request('pauseConsumer', { consumerId });
      return;
    }
    if (!sameWish(wish, entry.layers)) {
      entry.layers = wish;
      await this.signaling.request('setConsumerLayer', { consumerId, ...wish });
    }
    if (!entry.flowing) {
      entry.flowing = true;
      entry.consumer.resume();
      await this.signaling.request('resumeConsumer', { consumerId });
    }
  }
}
