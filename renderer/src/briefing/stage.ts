// Who is on the main stage and which remote videos this point shows: the rules, apart from the
// session that applies them, so they can be read and tested on their own.
import type { ControlState } from '../../../sfu-server/protocol';

export const THUMBNAILS_PER_PAGE = 8;

/** How many pages of thumbnails `count` points fill (at least one). */
export const thumbnailPageCount = (count: number): number => Math.max(1, Math.ceil(count / THUMBNAILS_PER_PAGE));

/** The points on thumbnail page `page` of the strip. */
export const thumbnailPage = <T>(strip: readonly T[], page: number): T[] => strip.slice(page * THUMBNAILS_PER_PAGE, (page + 1) * THUMBNAILS_PER_PAGE);

/** Who holds the floor; else, in discussion mode, the active speaker while its microphone is on;
 * else the chair; else the first point present (join order). A speaker who muted has stopped
 * speaking: the server's observer names the next one only once someone else's sound outscores
 * it, seconds later on a busy server, and the stage would meanwhile show a silent room. */
export function chooseStage(input: {
  /** The remote points present. */
  points: readonly { peerId: string; micMuted: boolean }[];
  control: ControlState | null;
  activeSpeakerPeerId: string | null;
  joinOrder: readonly string[];
}): string | null {
  const { points, control } = input;
  const present = new Set(points.map((p) => p.peerId));
  const peerOf = (seatId: string | undefined) => control?.seats.find((s) => s.seatId === seatId)?.peerId ?? null;
  const speaking = points.find((p) => p.peerId === input.activeSpeakerPeerId && !p.micMuted)?.peerId ?? null;
  const candidates = [
    peerOf(control?.floor.speaker?.seatId),
    control?.floor.mode === 'briefing' ? null : speaking,
    peerOf(control?.seats.find((s) => s.role === 'chair')?.seatId),
    ...input.joinOrder,
  ];
  return candidates.find((id): id is string => !!id && present.has(id)) ?? null;
}

/** Where a remote point's video goes: the stage (top layer), a thumbnail on the page shown
 * (lowest layer), or nowhere (paused on the server, costing the link nothing). */
export function placementOf(peerId: string, view: { audioOnly: boolean; stagePeerId: string | null; thumbnails: readonly string[]; page: number }): 'stage' | 'thumbnail' | 'hidden' {
  if (view.audioOnly) return 'hidden';
  if (peerId === view.stagePeerId) return 'stage';
  const at = view.thumbnails.indexOf(peerId);
  return at >= 0 && Math.floor(at / THUMBNAILS_PER_PAGE) === view.page ? 'thumbnail' : 'hidden';
}
