// This point's own view of its link, sent to the server every few seconds for the chair's board:
// round trip, loss on what it sends, and kbps each way, from its transports' WebRTC stats. The
// server measuring every point itself asked its media worker for stats that cost a fifth of the
// worker's work with 40 points; it now measures only a point whose report stops or that its own
// view of the media doubts (sfu-server/src/chairing/LinkMonitor.ts).
import { LINK_SAMPLE_MS, type LinkReport } from '../../../sfu-server/protocol';

/** What the figures are computed from: running totals at one moment. */
export interface LinkCounters {
  at: number;
  bytesSent: number;
  bytesReceived: number;
  /** Per sent stream (SSRC): packets sent, and lost on the way as the server's reports say. */
  sent: Map<number, { packets: number; lost: number }>;
  rttMs: number | null;
}

/** The fields of the stats this reads; every other field is left alone. */
interface Stat {
  type: string;
  id: string;
  ssrc?: number;
  localId?: string;
  packetsSent?: number;
  packetsLost?: number;
  roundTripTime?: number;
  currentRoundTripTime?: number;
  bytesSent?: number;
  bytesReceived?: number;
  selectedCandidatePairId?: string;
}

/** Totals of this point's transports (each one's `RTCStatsReport`) at `at` (ms). */
export function readCounters(reports: Iterable<ReadonlyMap<string, Stat>>, at: number): LinkCounters {
  const counters: LinkCounters = { at, bytesSent: 0, bytesReceived: 0, sent: new Map(), rttMs: null };
  const rtcpRtts: number[] = [];
  const pairRtts: number[] = [];
  for (const report of reports) {
    for (const stat of report.values()) {
      if (stat.type === 'transport') {
        counters.bytesSent += stat.bytesSent ?? 0;
        counters.bytesReceived += stat.bytesReceived ?? 0;
        const pair = stat.selectedCandidatePairId ? report.get(stat.selectedCandidatePairId) : undefined;
        if (pair?.currentRoundTripTime !== undefined) pairRtts.push(pair.currentRoundTripTime * 1000);
      } else if (stat.type === 'remote-inbound-rtp' && stat.ssrc !== undefined) {
        // The server's receiver reports on a stream this point sends: its loss and round trip.
        const local = stat.localId ? report.get(stat.localId) : undefined;
        counters.sent.set(stat.ssrc, { packets: local?.packetsSent ?? 0, lost: Math.max(0, stat.packetsLost ?? 0) });
        if (stat.roundTripTime !== undefined) rtcpRtts.push(stat.roundTripTime * 1000);
      }
    }
  }
  // RTCP's round trip comes with every receiver report; ICE's only with its occasional checks.
  const rtts = (rtcpRtts.length ? rtcpRtts : pairRtts).sort((a, b) => a - b);
  counters.rttMs = rtts.length ? Math.round(rtts[Math.floor(rtts.length / 2)]) : null;
  return counters;
}

/** The figures between two readings; a counter that went back (a new transport) counts from 0. */
export function linkFigures(before: LinkCounters, now: LinkCounters): LinkReport {
  const seconds = Math.max(0.001, (now.at - before.at) / 1000);
  const grown = (a: number, b: number) => (b >= a ? b - a : b);
  let packets = 0;
  let lost = 0;
  for (const [ssrc, stream] of now.sent) {
    const last = before.sent.get(ssrc) ?? { packets: 0, lost: 0 };
    packets += grown(last.packets, stream.packets);
    lost += grown(last.lost, stream.lost);
  }
  const kbps = (bytes: number) => Math.min(1_000_000, Math.round((bytes * 8) / 1000 / seconds));
  return {
    rttMs: now.rttMs === null ? null : Math.min(60_000, now.rttMs),
    lossPct: packets + lost > 0 ? Math.min(100, Math.round((1000 * lost) / (packets + lost)) / 10) : 0,
    kbpsUp: kbps(grown(before.bytesSent, now.bytesSent)),
    kbpsDown: kbps(grown(before.bytesReceived, now.bytesReceived)),
  };
}

/** Reads this point's transports every `LINK_SAMPLE_MS` and sends what it finds, until `stop`. */
export class LinkReporter {
  private timer: ReturnType<typeof setInterval> | undefined;
  private last: LinkCounters | undefined;
  private complained = false;

  constructor(
    private readonly read: () => Promise<ReadonlyMap<string, Stat>[]> | undefined,
    private readonly send: (figures: LinkReport) => Promise<unknown>,
  ) {}

  start(): void {
    this.stop();
    // The first reading now, so the first report goes after one interval, not two.
    void this.report();
    this.timer = setInterval(() => void this.report(), LINK_SAMPLE_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.last = undefined;
  }

  private async report(): Promise<void> {
    const reading = this.read();
    if (!reading) return;
    try {
      const now = readCounters(await reading, performance.now());
      const before = this.last;
      this.last = now;
      if (before) await this.send(linkFigures(before, now));
    } catch (error) {
      // A lost report costs only one sample: the server measures a point that stops reporting.
      if (!this.complained) console.warn('[link] a link report could not be sent:', error);
      this.complained = true;
    }
  }
}
