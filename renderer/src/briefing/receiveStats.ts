// What this point receives of each remote point, from its own WebRTC stats: frames decoded,
// audio bytes, and the bitrate over the last second. The tiles show them; the tests read them.
import type { ConsumerEntry } from './MediaSession';

export interface ReceiveFigures {
  framesDecoded: number;
  audioBytesReceived: number;
  kbpsDown: number;
}

export class ReceiveStats {
  private readonly lastBytes = new Map<string, { bytes: number; at: number }>();

  async perPeer(consumers: Iterable<ConsumerEntry>): Promise<Map<string, ReceiveFigures>> {
    const perPeer = new Map<string, ReceiveFigures>();
    const now = performance.now();
    for (const entry of consumers) {
      const report = await entry.consumer.getStats().catch(() => undefined);
      const figures = perPeer.get(entry.peerId) ?? { framesDecoded: 0, audioBytesReceived: 0, kbpsDown: 0 };
      report?.forEach((stat: { type: string; framesDecoded?: number; bytesReceived?: number }) => {
        if (stat.type !== 'inbound-rtp') return;
        const bytes = stat.bytesReceived ?? 0;
        if (entry.consumer.kind === 'video') figures.framesDecoded += stat.framesDecoded ?? 0;
        else figures.audioBytesReceived += bytes;
        const last = this.lastBytes.get(entry.consumer.id);
        if (last && now > last.at) figures.kbpsDown += Math.max(0, Math.round(((bytes - last.bytes) * 8) / (now - last.at)));
        this.lastBytes.set(entry.consumer.id, { bytes, at: now });
      });
      perPeer.set(entry.peerId, figures);
    }
    return perPeer;
  }
}
