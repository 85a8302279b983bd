// What a point asks of each video it receives: from where the video is shown and whether the
// point saves data. The stage is first in line for a narrow downlink; thumbnails come small and
// at a quarter of the frame rate; saving data, the stage comes small and thumbnails are still
// frames, refreshed now and then, so the sound keeps what the link carries.
import type { ConsumerWish } from '../../../sfu-server/protocol';
import { STAGE_PRIORITY } from '../../../sfu-server/protocol/rules';

export type Placement = 'stage' | 'thumbnail' | 'hidden';

export interface ReceiveMode {
  dataSaving: boolean;
  /** Saving data, the thumbnails flow for a moment now and then: a fresh still frame each. */
  refreshingStills: boolean;
}

export const STAGE_LAYER = 2;
export const THUMBNAIL_LAYER = 0;
/** How often still thumbnails are refreshed, and for how long they flow to get a key frame. */
export const STILL_FRAME_EVERY_MS = 10_000;
export const STILL_FRAME_FLOW_MS = 1500;

/** The layers a video should flow at now, or null: paused on the server, nothing on the link. */
export function wishFor(placement: Placement, mode: ReceiveMode): ConsumerWish | null {
  if (placement === 'hidden') return null;
  if (placement === 'stage') return { spatialLayer: mode.dataSaving ? THUMBNAIL_LAYER : STAGE_LAYER, priority: STAGE_PRIORITY };
  if (mode.dataSaving && !mode.refreshingStills) return null;
  return { spatialLayer: THUMBNAIL_LAYER, temporalLayer: 0, priority: 1 };
}

export function sameWish(a: ConsumerWish | undefined, b: ConsumerWish | undefined): boolean {
  return a?.spatialLayer === b?.spatialLayer && a?.temporalLayer === b?.temporalLayer && a?.priority === b?.priority;
}
