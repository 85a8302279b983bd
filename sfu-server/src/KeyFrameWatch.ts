// A video a point should be receiving stays dark until a key frame of its sender passes the SFU.
// mediasoup asks the sender for one when the stream starts flowing or changes layer, and once
// more a second later; when both requests are lost (a sender's PC starved, a burst of UDP dropped
// on a loaded link), nobody asks again: the receiver, getting no packet of it, asks nothing
// either, and the stage stays dark all briefing. This watch asks again, every few seconds, for
// each video that should flow and does not.
import type { types } from 'mediasoup';
import type { Peer } from './Peer';

/** How long a video may stay dark before it is asked for again, and how often after that. */
export const DARK_VIDEO_ASK_EVERY_MS = 2000;

export class KeyFrameWatch {
  /** Each dark video's consumer id, with when it was first seen dark or last asked for. */
  private readonly dark = new Map<string, number>();

  constructor(private readonly peers: ReadonlyMap<string, Peer>) {}

  /** Called about once a second with a monotonic time in ms. */
  check(nowMs: number): void {
    const stillDark = new Set<string>();
    for (const peer of this.peers.values()) {
      for (const consumer of peer.consumers.values()) {
        if (!waitsForKeyFrame(consumer)) continue;
        stillDark.add(consumer.id);
        const since = this.dark.get(consumer.id);
        if (since === undefined) this.dark.set(consumer.id, nowMs);
        else if (nowMs - since >= DARK_VIDEO_ASK_EVERY_MS) {
          this.dark.set(consumer.id, nowMs);
          // A consumer closed meanwhile needs nothing.
          consumer.requestKeyFrame().catch(() => undefined);
        }
      }
    }
    for (const id of this.dark.keys()) if (!stillDark.has(id)) this.dark.delete(id);
  }
}

/** Flowing as far as the receiver and the sender are concerned, yet forwarding no layer. A sender
 * that sends nothing (its camera stopped, its own link down) is no key frame's fault; a receiver
 * whose link has room for no layer has no layer to ask for (mediasoup then asks nothing). Our
 * cameras all send simulcast. */
function waitsForKeyFrame(consumer: types.Consumer): boolean {
  if (consumer.kind !== 'video' || consumer.type !== 'simulcast' || consumer.closed || consumer.paused || consumer.producerPaused) return false;
  return !consumer.currentLayers && consumer.score.producerScores.some((score) => score > 0);
}
