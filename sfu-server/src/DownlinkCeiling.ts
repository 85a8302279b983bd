// How much the server may send a meeting point, and so how hard its congestion control may probe
// the point's link: a little above what the point has asked to receive now. Left to itself,
// mediasoup sizes its probing by every received stream whole (a stage asked at its smallest layer
// counts the sender's 720p) and never below the starting estimate (1 Mbps here). A commune saving
// data behind 512 kbps had its link probed at twice that every few seconds; the probes overfilled
// the link's queue and cut the chair's sound (about 9 in 10 packets the queue dropped were probes).
import type { types } from 'mediasoup';
import { CAMERA_LAYERS } from '../protocol';
import type { Peer } from './Peer';

/** Speech as sent: Opus and its packets' headers. */
const AUDIO_BPS = 64_000;
/** A single-layer video whose sender named no bitrate for it: more than a full camera. */
const UNKNOWN_VIDEO_BPS = 1_500_000;
/** Room above the streams' nominal rates for key frames, retransmissions and headers (the same
 * margin mediasoup adds to what it wants for a transport). */
const HEADROOM = 1.35;
/** Never below this, so a point receiving almost nothing still has room for the next stream. */
const FLOOR_BPS = 200_000;
/** A ceiling comes down only after this long: a still frame refreshed every few seconds would
 * otherwise move it each time, and every rise makes mediasoup probe up to the new ceiling. It also
 * bounds what a point toggling its microphone costs: each receiver's worker request at most once
 * in this long, not once per toggle. */
const LOWER_AFTER_MS = 10_000;

/** What each of a stream's layers carries at most (bits per second), lowest first. */
function layerRates(producer: types.Producer): number[] {
  if (producer.kind === 'audio') return [AUDIO_BPS];
  const encodings = producer.rtpParameters.encodings ?? [];
  if (producer.type !== 'simulcast') return [Math.max(0, ...encodings.map((e) => e.maxBitrate ?? UNKNOWN_VIDEO_BPS)) || UNKNOWN_VIDEO_BPS];
  // A sender that named no rate for a layer is taken for the app's own camera.
  return encodings.map((e, layer) => e.maxBitrate ?? CAMERA_LAYERS[Math.min(layer, CAMERA_LAYERS.length - 1)].maxBitrate);
}

/** The bits per second a consumer brings now, as its receiver asked for it. */
function wantedBps(consumer: types.Consumer, rates: readonly number[]): number {
  if (consumer.closed || consumer.paused || consumer.producerPaused || rates.length === 0) return 0;
  const top = rates.length - 1;
  return rates[Math.min(top, consumer.preferredLayers?.spatialLayer ?? top)];
}

/** The ceiling for a receive transport carrying these consumers (bits per second), or null while
 * none of them flows. */
function downlinkCeiling(consumers: Iterable<types.Consumer>, ratesOf: (consumer: types.Consumer) => readonly number[]): number | null {
  let sum = 0;
  for (const consumer of consumers) sum += wantedBps(consumer, ratesOf(consumer));
  return sum === 0 ? null : Math.max(FLOOR_BPS, Math.ceil((sum * HEADROOM) / 10_000) * 10_000);
}

interface Told {
  /** Infinity until a ceiling is first set. */
  bps: number;
  lowering: ReturnType<typeof setTimeout> | undefined;
}

/** Keeps each point's receive transport at its ceiling: raised at once, lowered after a while. */
export class DownlinkCeilings {
  private readonly told = new Map<string, Told>();
  /** Each consumer's layer rates, kept from its producer when it was made: a briefing of 200 asks
   * for every point's ceiling at once when the floor changes hands. */
  private readonly rates = new WeakMap<types.Consumer, readonly number[]>();

  constructor(private readonly lowerAfterMs = LOWER_AFTER_MS) {}

  /** A consumer made of `producer`, counted by its producer's layer rates from now on. */
  remember(consumer: types.Consumer, producer: types.Producer): void {
    this.rates.set(consumer, layerRates(producer));
  }

  /** The ceiling last told to a transport: undefined while it has none. */
  toldFor(transportId: string): number | undefined {
    const bps = this.told.get(transportId)?.bps;
    return bps === Infinity ? undefined : bps;
  }

  /** Recomputes `peer`'s ceilings after what it receives changed. Plain RTP has no congestion
   * control to limit, so only the WebRTC transports of the meeting points' apps have one. */
  update(peer: Peer): void {
    for (const transport of peer.transports.values()) {
      if (transport.appData.direction !== 'recv' || transport.appData.plain || transport.closed) continue;
      this.updateTransport(peer, transport, false);
    }
  }

  private updateTransport(peer: Peer, transport: types.Transport, lowerNow: boolean): void {
    const carried = [...peer.consumers.values()].filter((c) => c.appData.transportId === transport.id);
    const wanted = downlinkCeiling(carried, (consumer) => this.rates.get(consumer) ?? []);
    let told = this.told.get(transport.id);
    // Unlimited until the first stream flows: a ceiling set while a joining point's consumers are
    // still paused would hold its first stage down until a probe lifted it.
    if (wanted === null && (told?.bps ?? Infinity) === Infinity) return;
    const bps = wanted ?? FLOOR_BPS;
    if (!told) {
      told = { bps: Infinity, lowering: undefined };
      this.told.set(transport.id, told);
      transport.observer.once('close', () => {
        clearTimeout(this.told.get(transport.id)?.lowering);
        this.told.delete(transport.id);
      });
    }
    if (bps === told.bps) {
      clearTimeout(told.lowering);
      told.lowering = undefined;
      return;
    }
    // Down from a ceiling (not from none) waits; a raise, or the first ceiling, is told at once.
    if (bps < told.bps && told.bps !== Infinity && !lowerNow) {
      const waiting = told;
      waiting.lowering ??= setTimeout(() => {
        waiting.lowering = undefined;
        if (!transport.closed) this.updateTransport(peer, transport, true);
      }, this.lowerAfterMs).unref();
      return;
    }
    clearTimeout(told.lowering);
    told.lowering = undefined;
    told.bps = bps;
    // A transport closing meanwhile refuses the request; nothing is left to limit then.
    transport.setMaxOutgoingBitrate(bps).catch(() => undefined);
  }
}
