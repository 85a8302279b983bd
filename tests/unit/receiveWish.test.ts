// What a commune asks of each video it receives: the stage large and first in line, thumbnails
// small and slow, nothing for what is off screen; saving data, a small stage and still thumbnails
// that flow only for a moment to refresh.
import { describe, expect, it } from 'vitest';
import { LAYER_WIDTHS, STAGE_LAYER, THUMBNAIL_LAYER, wishFor } from '../../renderer/src/briefing/receiveWish';

const normal = { dataSaving: false };
const saving = { dataSaving: true };

describe('what a point asks of the videos it receives', () => {
  it('asks the stage at full size before thumbnails, thumbnails small at a quarter of the rate, and nothing off screen', () => {
    const stage = wishFor('stage', normal)!;
    const thumbnail = wishFor('thumbnail', normal)!;
    expect(stage.spatialLayer).toBe(STAGE_LAYER);
    expect(stage.temporalLayer).toBeUndefined();
    expect(thumbnail).toMatchObject({ spatialLayer: THUMBNAIL_LAYER, temporalLayer: 0 });
    expect(stage.priority!).toBeGreaterThan(thumbnail.priority!);
    expect(wishFor('hidden', normal)).toBeNull();
  });

  it('asks the stage at the smallest layer that fills it as shown, the top one while its size is unknown or larger', () => {
    const stageAt = (stageWidthPx: number | undefined) => LAYER_WIDTHS[wishFor('stage', { ...normal, stageWidthPx })!.spatialLayer];
    // A 1280×800 window shows the stage about 470 pixels wide; a full-HD one, more than 640.
    expect(stageAt(474)).toBe(640);
    expect(stageAt(1000)).toBe(1280);
    expect(stageAt(2400)).toBe(1280);
    expect(stageAt(300)).toBe(320);
    expect(stageAt(640)).toBe(640);
    expect(stageAt(undefined)).toBe(1280);
    // Saving data keeps the stage small whatever its size.
    expect(wishFor('stage', { ...saving, stageWidthPx: 1600 })!.spatialLayer).toBe(THUMBNAIL_LAYER);
  });

  it('saving data: the stage small but still first, thumbnails paused but for their refresh', () => {
    const stage = wishFor('stage', saving)!;
    expect(stage.spatialLayer).toBe(THUMBNAIL_LAYER);
    expect(stage.priority!).toBeGreaterThan(wishFor('thumbnail', saving, true)!.priority!);
    expect(wishFor('thumbnail', saving)).toBeNull();
    expect(wishFor('thumbnail', saving, true)).toMatchObject({ spatialLayer: THUMBNAIL_LAYER });
    expect(wishFor('hidden', saving, true)).toBeNull();
  });
});
