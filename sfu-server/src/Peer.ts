// One meeting point connected to a briefing: its transports, what it sends and what it receives.
import type { types } from 'mediasoup';
import { LINK_REPORT_MIN_GAP_MS, type LinkReport, type MediaSource, type NotificationData, type NotificationName, type PeerInfo } from '../protocol';
import { SfuError } from './errors';

export type Notify = <N extends NotificationName>(name: N, data: NotificationData<N>) => void;

export interface ProducerData {
  [key: string]: unknown;
  source: MediaSource;
  peerId: string;
}

export class Peer {
  readonly transports = new Map<string, types.WebRtcTransport | types.PlainTransport | types.PipeTransport>();
  readonly producers = new Map<string, types.Producer<ProducerData>>();
  readonly consumers = new Map<string, types.Consumer>();
  /** The point's last report of its own link, and when it came (performance.now()). */
  private report: { figures: LinkReport; at: number } | undefined;

  constructor(
    readonly id: string,
    readonly seatId: string,
    readonly displayName: string,
    readonly rtpCapabilities: types.RtpCapabilities,
    readonly notify: Notify,
  ) {}

  info(): PeerInfo {
    return {
      id: this.id,
      seatId: this.seatId,
      displayName: this.displayName,
      producers: [...this.producers.values()].map((p) => ({
        id: p.id,
        kind: p.kind,
        source: p.appData.source,
        paused: p.paused,
      })),
    };
  }

  /** Keeps the point's own figures for the chair's board; reports closer together than the
   * board could use are refused with the reason. */
  reportLink(figures: LinkReport, now = performance.now()): void {
    if (this.report && now - this.report.at < LINK_REPORT_MIN_GAP_MS) {
      throw new SfuError('rate_limited', `at most one link report every ${LINK_REPORT_MIN_GAP_MS / 1000} s`, { reason: 'message_rate', count: 1 });
    }
    this.report = { figures, at: now };
  }

  /** The point's last report if it came within `maxAgeMs`. */
  reportedLink(maxAgeMs: number, now = performance.now()): LinkReport | undefined {
    return this.report && now - this.report.at <= maxAgeMs ? this.report.figures : undefined;
  }

  /** Only the peer's own objects are found: naming another peer's id gives `not_found`. */
  transport(id: string): types.WebRtcTransport | types.PlainTransport | types.PipeTransport {
    const transport = this.transports.get(id);
    if (!transport) throw new SfuError('not_found', `no transport ${id} of yours`);
    return transport;
  }

  producer(id: string): types.Producer<ProducerData> {
    const producer = this.producers.get(id);
    if (!producer) throw new SfuError('not_found', `no producer ${id} of yours`);
    return producer;
  }

  consumer(id: string): types.Consumer {
    const consumer = this.consumers.get(id);
    if (!consumer) throw new SfuError('not_found', `no consumer ${id} of yours`);
    return consumer;
  }

  /** Closing the transports closes every producer and consumer on them. */
  close(): void {
    for (const transport of this.transports.values()) transport.close();
    this.transports.clear();
    this.producers.clear();
    this.consumers.clear();
  }
}
