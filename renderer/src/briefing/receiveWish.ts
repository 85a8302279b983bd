// What a point asks of each video it receives: from where the video is shown, how large, and whether
// the point saves data. The stage is first in line for a narrow downlink, at the layer its size on
// screen needs; thumbnails come small and
// at a quarter of the frame rate; saving data, the stage comes small and thumbnails are still
// frames, refreshed now and then, so the sound keeps what the link carries.
import type { ConsumerWish } from '../../../sfu-server/protocol';
import { STAGE_PRIORITY } from '../../../sfu-server/protocol/rules';

export type Placement = 'stage' | 'thumbnail' | 'hidden';

export interface ReceiveMode {
  dataSaving: boolean;
  /** How wide the stage is on screen, in device pixels; unknown until it is first laid out. */
  stageWidthPx?: number;
}

export const STAGE_LAYER = 2;
export const THUMBNAIL_LAYER = 0;
/** The widths of a camera's simulcast layers when it captures the 1280×720 the app asks
 * (MediaSession's ladder: a quarter, half and the full width). */
export const LAYER_WIDTHS = [320, 640, 1280];

/** The smallest layer that fills the stage as shown: a larger one costs the link and the decoder
 * pixels the screen throws away (a 1280×800 window shows the stage about 470 pixels wide). */
export function stageLayerFor(shownWidthPx: number | undefined): number {
  if (!shownWidthPx) return STAGE_LAYER;
  const fits = LAYER_WIDTHS.findIndex((width) => width >= shownWidthPx);
  return fits === -1 ? STAGE_LAYER : Math.min(fits, STAGE_LAYER);
}
/** The layers a video should flow at now, or null: paused on the server, nothing on the link.
 * `refreshingStill`: saving data, this thumbnail flows for a moment for a fresh still frame. */
export function wishFor(placement: Placement, mode: ReceiveMode, refreshingStill = false): ConsumerWish | null {
  if (placement === 'hidden') return null;
  if (placement === 'stage') return { spatialLayer: mode.dataSaving ? THUMBNAIL_LAYER : stageLayerFor(mode.stageWidthPx), priority: STAGE_PRIORITY };
  if (mode.dataSaving && !refreshingStill) return null;
  return { spatialLayer: THUMBNAIL_LAYER, temporalLayer: 0, priority: 1 };
}

export function sameWish(a: ConsumerWish | undefined, b: ConsumerWish | undefined): boolean {
  return a?.spatialLayer === b?.spatialLayer && a?.temporalLayer === b?.temporalLayer && a?.priority === b?.priority;
}
