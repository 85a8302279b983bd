// A video a point should be receiving stays dark until a key frame of its sender passes the SFU.
// mediasoup asks the sender for one when the stream starts flowing or changes layer, and once
// more a second later; when both requests are lost (a sender's PC starved, a burst of UDP dropped
// on a loaded link), nobody asks again: the receiver, getting no packet of it, asks nothing
// either, and the stage stays dark all briefing. This watch asks again, every few seconds, for
// each video that should flow and does not, and says once in the log which one stays dark and why,
// for the IT officer a commune calls about a black stage.
import type { types } from 'mediasoup';
import { z } from 'zod';
import type { Peer } from './Peer';

/** How long a video may stay dark before it is asked for again, and how often after that. */
export const DARK_VIDEO_ASK_EVERY_MS = 2000;
/** How long a video stays dark before the log says so (once). */
export const DARK_VIDEO_SAY_AFTER_MS = 6000;

/** What the worker's dump tells of a simulcast consumer's choice of layer (-1: none). */
const LayerChoice = z.object({ targetSpatialLayer: z.number() });

export class KeyFrameWatch {
  /** Each dark video's consumer id: when first seen dark, when last asked for, whether said. */
  private readonly dark = new Map<string, { since: number; asked: number; said: boolean }>();
  /** Each camera shown somewhere that sends nothing, though not paused: since when, whether said. */
  private readonly silent = new Map<string, { since: number; said: boolean }>();

  constructor(
    private readonly peers: ReadonlyMap<string, Peer>,
    /** The briefing's code, for the log: one server holds many briefings. */
    private readonly briefingCode: string,
  ) {}

  /** Called about once a second with a monotonic time in ms. */
  check(nowMs: number): void {
    const stillDark = new Set<string>();
    const shownSilent = new Map<string, number>();
    for (const peer of this.peers.values()) {
      for (const consumer of peer.consumers.values()) {
        if (sendsNothing(consumer)) shownSilent.set(consumer.producerId, (shownSilent.get(consumer.producerId) ?? 0) + 1);
        if (!waitsForKeyFrame(consumer)) continue;
        stillDark.add(consumer.id);
        const seen = this.dark.get(consumer.id);
        if (!seen) {
          this.dark.set(consumer.id, { since: nowMs, asked: nowMs, said: false });
          continue;
        }
        if (nowMs - seen.asked >= DARK_VIDEO_ASK_EVERY_MS) {
          seen.asked = nowMs;
          // A consumer closed meanwhile needs nothing.
          consumer.requestKeyFrame().catch(() => undefined);
        }
        if (!seen.said && nowMs - seen.since >= DARK_VIDEO_SAY_AFTER_MS) {
          seen.said = true;
          void this.sayWhy(peer, consumer, nowMs - seen.since);
        }
      }
    }
    for (const id of this.dark.keys()) if (!stillDark.has(id)) this.dark.delete(id);
    this.saySilent(shownSilent, nowMs);
  }

  /** A camera that sends nothing is its sender's fault (its PC, its uplink), said once per camera
   * however many points are shown it. */
  private saySilent(shownSilent: ReadonlyMap<string, number>, nowMs: number): void {
    for (const [producerId, receivers] of shownSilent) {
      const seen = this.silent.get(producerId) ?? { since: nowMs, said: false };
      this.silent.set(producerId, seen);
      if (seen.said || nowMs - seen.since < DARK_VIDEO_SAY_AFTER_MS) continue;
      seen.said = true;
      const owner = [...this.peers.values()].find((p) => p.producers.has(producerId));
      console.warn(`[media] ${this.briefingCode}: ${oneLine(owner?.displayName ?? 'a point')} has sent no picture for ${Math.round((nowMs - seen.since) / 1000)} s though its camera is on and ${receivers} point(s) show it`);
    }
    for (const id of this.silent.keys()) if (!shownSilent.has(id)) this.silent.delete(id);
  }

  /** A layer chosen and no key frame of it come, or no layer fitting the point's downlink as the
   * congestion control estimates it: two different calls for the IT officer. */
  private async sayWhy(viewer: Peer, consumer: types.Consumer, darkMs: number): Promise<void> {
    const owner = [...this.peers.values()].find((p) => p.producers.has(consumer.producerId));
    const choice = LayerChoice.safeParse(await consumer.dump().catch(() => null));
    const transport = viewer.transports.get(String(consumer.appData.transportId));
    const stats = transport && !transport.closed ? await transport.getStats().catch(() => []) : [];
    const estimate = stats.map((s) => ('availableOutgoingBitrate' in s ? s.availableOutgoingBitrate : undefined)).find((b) => b !== undefined);
    const layer = choice.success ? choice.data.targetSpatialLayer : -1;
    const why =
      layer >= 0
        ? `layer ${layer} is chosen and no key frame of it has come from the sender`
        : `no layer fits its downlink${estimate !== undefined ? ` (estimated at ${Math.round(estimate / 1000)} kbps)` : ''}`;
    console.warn(`[media] ${this.briefingCode}: ${oneLine(viewer.displayName)} has had no picture of ${oneLine(owner?.displayName ?? 'a point')} for ${Math.round(darkMs / 1000)} s though both sides want it: ${why}`);
  }
}

/** A point's name as one log line: a guest admitted from the lobby chose its own, and a line
 * break in it would let it write lines of its own into the IT officer's log. */
function oneLine(name: string): string {
  return name.replace(/\p{Cc}/gu, ' ');
}

/** Wanted by a receiver, its sender not paused, and no layer of it arriving at the SFU. */
function sendsNothing(consumer: types.Consumer): boolean {
  if (consumer.kind !== 'video' || consumer.closed || consumer.paused || consumer.producerPaused) return false;
  return consumer.score.producerScores.every((score) => score === 0);
}

/** Flowing as far as the receiver and the sender are concerned, yet forwarding no layer. A sender
 * that sends nothing (its camera stopped, its own link down) is no key frame's fault; a receiver
 * whose link has room for no layer has no layer to ask for (mediasoup then asks nothing). Our
 * cameras all send simulcast. */
function waitsForKeyFrame(consumer: types.Consumer): boolean {
  if (consumer.kind !== 'video' || consumer.type !== 'simulcast' || consumer.closed || consumer.paused || consumer.producerPaused) return false;
  return !consumer.currentLayers && consumer.score.producerScores.some((score) => score > 0);
}
