// What a point reports of its own link, from its browser's WebRTC stats as Chromium writes them
// (one report per transport: the send one with its streams and the server's receiver reports on
// them, the receive one with what comes in).
import { describe, expect, it } from 'vitest';
import { linkFigures, readCounters } from '../../renderer/src/briefing/linkReport';
import { LinkReport } from '../../sfu-server/protocol';

type Stat = { type: string; id: string; [field: string]: unknown };
const report = (...stats: Stat[]) => new Map(stats.map((s) => [s.id, s] as [string, Stat]));

/** The send transport after `seconds` of 30 kB/s out, two streams each losing `lostEach`. */
function sending(seconds: number, lostEach: number, rtcpRtt?: number) {
  return report(
    { type: 'transport', id: 'T1', bytesSent: 30_000 * seconds, bytesReceived: 1000 * seconds, selectedCandidatePairId: 'CP1' },
    { type: 'candidate-pair', id: 'CP1', currentRoundTripTime: 0.09 },
    { type: 'outbound-rtp', id: 'OA', ssrc: 1, packetsSent: 50 * seconds },
    { type: 'outbound-rtp', id: 'OV', ssrc: 2, packetsSent: 100 * seconds },
    { type: 'remote-inbound-rtp', id: 'RA', ssrc: 1, localId: 'OA', packetsLost: lostEach, ...(rtcpRtt === undefined ? {} : { roundTripTime: rtcpRtt }) },
    { type: 'remote-inbound-rtp', id: 'RV', ssrc: 2, localId: 'OV', packetsLost: lostEach, ...(rtcpRtt === undefined ? {} : { roundTripTime: rtcpRtt }) },
  );
}
const receiving = (seconds: number) =>
  report({ type: 'transport', id: 'T2', bytesSent: 500 * seconds, bytesReceived: 80_000 * seconds, selectedCandidatePairId: 'CP2' }, { type: 'candidate-pair', id: 'CP2', currentRoundTripTime: 0.1 });

describe("a point's report of its own link", () => {
  it('gives kbps each way, the loss the server saw of what it sent, and the round trip of the server reports', () => {
    const before = readCounters([sending(10, 5, 0.25), receiving(10)], 10_000);
    const after = readCounters([sending(13, 20, 0.31), receiving(13)], 13_000);
    const figures = linkFigures(before, after);
    // 30 kB/s + 0.5 kB/s out, 1 kB/s + 80 kB/s in.
    expect(figures.kbpsUp).toBe(244);
    expect(figures.kbpsDown).toBe(648);
    // 450 packets sent in the 3 s, 30 of them lost: 30 / (450 + 30).
    expect(figures.lossPct).toBe(6.3);
    expect(figures.rttMs).toBe(310);
    // What it sends is what the server accepts.
    expect(LinkReport.safeParse(figures).success).toBe(true);
  });

  it("takes ICE's round trip when the server's reports carry none yet, and none when there is neither", () => {
    // The two transports' pairs say 90 and 100 ms: the upper middle, the slower, is reported.
    expect(readCounters([sending(1, 0), receiving(1)], 0).rttMs).toBe(100);
    expect(readCounters([report({ type: 'transport', id: 'T', bytesSent: 1, bytesReceived: 1 })], 0).rttMs).toBeNull();
  });

  it('counts again from zero after a reconnect rather than reporting a negative or huge figure', () => {
    const before = readCounters([sending(600, 900, 0.05), receiving(600)], 600_000);
    const after = readCounters([sending(3, 3, 0.05), receiving(3)], 603_000);
    const figures = linkFigures(before, after);
    expect(figures.kbpsUp).toBe(244);
    // 6 of 456 since the new transport began.
    expect(figures.lossPct).toBe(1.3);
    expect(LinkReport.safeParse(figures).success).toBe(true);
  });
});
