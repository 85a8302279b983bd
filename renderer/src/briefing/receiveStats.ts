// What this point receives of each remote point, from its own WebRTC stats: frames decoded,
// audio bytes, and the bitrate over the last second. The tiles show them; the tests read them.
import type { ConsumerEntry } from './MediaSession';

export interface ReceiveFigures {
  framesDecoded: number;
  audioBytesReceived: number;
  kbpsDown: number;
  /** Video packets in, and key frames this browser asked for: frames that stay at zero while
   * packets arrive and requests rise mean the picture waits for a key frame its sender never sent. */
  videoPackets: number;
  keyFramesAsked: number;
}

export const NOTHING_RECEIVED: Readonly<ReceiveFigures> = { framesDecoded: 0, audioBytesReceived: 0, kbpsDown: 0, videoPackets: 0, keyFramesAsked: 0 };

export class ReceiveStats {
  private readonly lastBytes = new Map<string, { bytes: number; at: number }>();
  private timer: ReturnType<typeof setInterval> | undefined;

  /** `videoPackets`: each video consumer's packets so far, by consumer id. */
  constructor(private readonly onFigures: (perPeer: Map<string, ReceiveFigures>, videoPackets: Map<string, number>) => void) {}

  /** Reads the figures of the consumers `current` gives, every second, until `stop`. */
  start(current: () => Iterable<ConsumerEntry> | undefined): void {
    this.stop();
    this.timer = setInterval(() => void this.refresh(current()), 1000);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async refresh(consumers: Iterable<ConsumerEntry> | undefined): Promise<void> {
    if (!consumers) return;
    const { perPeer, videoPackets } = await this.perPeer(consumers);
    if (perPeer.size > 0) this.onFigures(perPeer, videoPackets);
  }

  private async perPeer(consumers: Iterable<ConsumerEntry>): Promise<{ perPeer: Map<string, ReceiveFigures>; videoPackets: Map<string, number> }> {
    const perPeer = new Map<string, ReceiveFigures>();
    const videoPackets = new Map<string, number>();
    const seen = new Set<string>();
    const now = performance.now();
    for (const entry of consumers) {
      const report = await entry.consumer.getStats().catch(() => undefined);
      const figures = perPeer.get(entry.peerId) ?? { ...NOTHING_RECEIVED };
      report?.forEach((stat: { type: string; framesDecoded?: number; bytesReceived?: number; packetsReceived?: number; pliCount?: number; firCount?: number }) => {
        if (stat.type !== 'inbound-rtp') return;
        const bytes = stat.bytesReceived ?? 0;
        if (entry.consumer.kind === 'video') {
          figures.framesDecoded += stat.framesDecoded ?? 0;
          figures.videoPackets += stat.packetsReceived ?? 0;
          videoPackets.set(entry.consumer.id, (videoPackets.get(entry.consumer.id) ?? 0) + (stat.packetsReceived ?? 0));
          figures.keyFramesAsked += (stat.pliCount ?? 0) + (stat.firCount ?? 0);
        } else figures.audioBytesReceived += bytes;
        const last = this.lastBytes.get(entry.consumer.id);
        if (last && now > last.at) figures.kbpsDown += Math.max(0, Math.round(((bytes - last.bytes) * 8) / (now - last.at)));
        this.lastBytes.set(entry.consumer.id, { bytes, at: now });
      });
      perPeer.set(entry.peerId, figures);
      seen.add(entry.consumer.id);
    }
    // Consumers closed since (points that left, a reconnect's old ones) are not kept all briefing.
    for (const id of this.lastBytes.keys()) if (!seen.has(id)) this.lastBytes.delete(id);
    return { perPeer, videoPackets };
  }
}
