// The chair's board of link health: every few seconds, each meeting point's round-trip time,
// loss and bitrates. Each point reports its own from its WebRTC stats; the server measures a
// point's link itself (stats requests to the media worker) only when that report is missing or
// stale, or mediasoup's scores of the point's streams say the link is worse than a report could
// be trusted on. So a failing or silent commune still shows, and the worker, which forwards
// everyone's packets, is not asked for every point's figures every few seconds: with 40 points
// those requests were a fifth of its work (decisions.md, 5 Dec 2026).
import { LINK_REPORT_FRESH_MS, LINK_SAMPLE_MS, LINK_SCORE_DOUBTFUL, type LinkHealth, type LinkReport, STAGE_PRIORITY } from '../../protocol';
import type { Peer } from '../Peer';
import type { Room } from '../Room';
import type { Briefing } from './Briefing';

export class LinkMonitor {
  private readonly timer: ReturnType<typeof setInterval>;
  /** Per producer: packets received and lost at the last sample. */
  private readonly last = new Map<string, { count: number; lost: number }>();
  private sampling = false;

  constructor(
    private readonly room: Room,
    private readonly briefing: Briefing,
  ) {
    this.timer = setInterval(() => void this.sample(), LINK_SAMPLE_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async sample(): Promise<void> {
    if (this.sampling || this.room.isClosed) return;
    this.sampling = true;
    try {
      const links: Record<string, LinkHealth> = {};
      for (const peer of this.room.peers.values()) {
        const seat = this.briefing.seats.byPeer(peer.id);
        if (seat) links[seat.id] = await this.measure(peer);
      }
      if (Object.keys(links).length) this.room.announce('linkHealth', { links });
    } catch {
      // A transport closing while it is asked for stats: the next sample will do.
    } finally {
      this.sampling = false;
    }
  }

  private async measure(peer: Peer): Promise<LinkHealth> {
    const reported = peer.reportedLink(LINK_REPORT_FRESH_MS);
    const figures = reported && !serverDoubts(peer) ? { ...reported, measuredBy: 'point' as const } : { ...(await this.measuredByServer(peer)), measuredBy: 'server' as const };
    return { ...figures, stageHeldBack: stageHeldBack(peer) };
  }

  private async measuredByServer(peer: Peer): Promise<LinkReport> {
    let kbpsUp = 0;
    let kbpsDown = 0;
    for (const transport of peer.transports.values()) {
      for (const stat of await transport.getStats()) {
        kbpsUp += stat.recvBitrate / 1000;
        kbpsDown += stat.sendBitrate / 1000;
      }
    }
    let received = 0;
    let lost = 0;
    const rtts: number[] = [];
    for (const producer of peer.producers.values()) {
      for (const stat of await producer.getStats()) {
        const key = `${producer.id}:${stat.ssrc}`;
        const before = this.last.get(key) ?? { count: 0, lost: 0 };
        received += Math.max(0, stat.packetCount - before.count);
        lost += Math.max(0, stat.packetsLost - before.lost);
        this.last.set(key, { count: stat.packetCount, lost: stat.packetsLost });
        if (stat.roundTripTime) rtts.push(stat.roundTripTime);
      }
    }
    // Every stats request is work for the media worker, which forwards everyone's packets: the
    // round trip is read from one stream this point receives only when what it sends gave none.
    const consumer = rtts.length ? undefined : [...peer.consumers.values()].find((c) => !c.closed && !c.paused);
    if (consumer) {
      for (const stat of await consumer.getStats()) if (stat.type === 'outbound-rtp' && stat.roundTripTime) rtts.push(stat.roundTripTime);
    }
    rtts.sort((a, b) => a - b);
    return {
      rttMs: rtts.length ? Math.round(rtts[Math.floor(rtts.length / 2)]) : null,
      lossPct: received + lost > 0 ? Math.round((1000 * lost) / (received + lost)) / 10 : 0,
      kbpsUp: Math.round(kbpsUp),
      kbpsDown: Math.round(kbpsDown),
    };
  }
}

/** Whether mediasoup's own scores (kept from its worker's notices: no request) of what the point
 * sends or receives show a link worse than its report may be taken on. A layer scored 0 is one
 * the point does not send (not on stage, camera off), not a bad link. */
function serverDoubts(peer: Peer): boolean {
  for (const producer of peer.producers.values()) {
    if (producer.closed || producer.paused) continue;
    if (producer.score.some(({ score }) => score > 0 && score < LINK_SCORE_DOUBTFUL)) return true;
  }
  for (const consumer of peer.consumers.values()) {
    if (consumer.closed || consumer.paused || consumer.producerPaused) continue;
    if (consumer.score.score < LINK_SCORE_DOUBTFUL) return true;
  }
  return false;
}

/** Whether the congestion control sends this point its stage below the layer the point asked
 * (read from what mediasoup keeps of each consumer: no request to the worker). */
function stageHeldBack(peer: Peer): boolean {
  for (const consumer of peer.consumers.values()) {
    if (consumer.type !== 'simulcast' || consumer.closed || consumer.paused || consumer.producerPaused || consumer.priority < STAGE_PRIORITY) continue;
    const asked = consumer.preferredLayers?.spatialLayer;
    // Only a layer its sender does send counts: a sender's own weak uplink is not this link's.
    const sent = asked === undefined ? 0 : (consumer.score.producerScores[asked] ?? 0);
    if (asked !== undefined && sent > 0 && (consumer.currentLayers?.spatialLayer ?? -1) < asked) return true;
  }
  return false;
}
