// The briefing's rules that the server enforces and the app shows, written once for both: who
// may have a microphone open, and when a link is weak.
import type { ControlState, LinkHealth, Role } from './chairing';

/** A seat's microphone may be open: the chair's always; in discussion anyone's; in briefing mode
 * only the one who holds the floor. */
export function micAllowed(seat: { seatId: string; role: Role }, floor: Pick<ControlState['floor'], 'mode' | 'speaker'>): boolean {
  return seat.role === 'chair' || floor.mode === 'discussion' || floor.speaker?.seatId === seat.seatId;
}

export type LinkQuality = 'good' | 'fair' | 'poor' | 'unknown';

/** Thresholds on what the server measures (loss on what the point sends, round trip). */
export const LINK_POOR = { lossPct: 10, rttMs: 800 } as const;
export const LINK_FAIR = { lossPct: 3, rttMs: 300 } as const;
/** How often the chair's board is refreshed, and how often each point reports its own link. */
export const LINK_SAMPLE_MS = 3000;
/** A point's reports closer together than this are refused: one is all the board uses per sample. */
export const LINK_REPORT_MIN_GAP_MS = 1000;
/** A point's report older than this is not used: the server measures the link itself. */
export const LINK_REPORT_FRESH_MS = 2 * LINK_SAMPLE_MS + 500;
/** A score mediasoup keeps (0–10, no request to its worker) below this on a stream the point
 * sends or receives: the server does not take the point's word for its link, and measures it. */
export const LINK_SCORE_DOUBTFUL = 7;
/** Poor this many measurements in a row (one every `LINK_SAMPLE_MS`): the app offers audio only. */
export const WEAK_LINK_SAMPLES = 3;

/** The stage held back below the layer asked this many measurements in a row (about 9 s): the
 * app saves data by itself (the stage small, thumbnails still), so the sound keeps the link. */
export const DOWNLINK_SHORT_SAMPLES = WEAK_LINK_SAMPLES;
/** Turned off by the operator, data saving does not come back by itself for this long. */
export const DATA_SAVING_RESPITE_MS = 5 * 60_000;
/** At or above this consumer priority a stream is a point's stage (the app asks it so). */
export const STAGE_PRIORITY = 10;

/** A camera's simulcast layers, lowest first: thumbnails take the first, the stage the one its
 * size on screen needs. The server sizes what it may send a point by these rates. The first is
 * what a page of eight live thumbnails (each at its base temporal layer, 40 % of it) and a
 * stage saving data cost a commune's 3G link: at 80 kbps a 320×180 room picture stays readable
 * and eight thumbnails took about 340 kbps in the bench (400 at 120 kbps). */
export const CAMERA_LAYERS = [
  { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 80_000 },
  { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 350_000 },
  { rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: 900_000 },
] as const;

export function linkQuality(link: LinkHealth | undefined): LinkQuality {
  if (!link) return 'unknown';
  const rtt = link.rttMs ?? 0;
  if (link.lossPct >= LINK_POOR.lossPct || rtt >= LINK_POOR.rttMs) return 'poor';
  if (link.lossPct >= LINK_FAIR.lossPct || rtt >= LINK_FAIR.rttMs) return 'fair';
  return 'good';
}
