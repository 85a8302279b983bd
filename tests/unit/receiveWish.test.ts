// What a commune asks of each video it receives: the stage large and first in line, thumbnails
// small and slow, nothing for what is off screen; saving data, a small stage and still thumbnails
// that flow only for a moment to refresh.
import { describe, expect, it } from 'vitest';
import { STAGE_LAYER, THUMBNAIL_LAYER, wishFor } from '../../renderer/src/briefing/receiveWish';

const normal = { dataSaving: false, refreshingStills: false };
const saving = { dataSaving: true, refreshingStills: false };
const refreshing = { dataSaving: true, refreshingStills: true };

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

  it('saving data: the stage small but still first, thumbnails paused but for their refresh', () => {
    const stage = wishFor('stage', saving)!;
    expect(stage.spatialLayer).toBe(THUMBNAIL_LAYER);
    expect(stage.priority!).toBeGreaterThan(wishFor('thumbnail', refreshing)!.priority!);
    expect(wishFor('thumbnail', saving)).toBeNull();
    expect(wishFor('thumbnail', refreshing)).toMatchObject({ spatialLayer: THUMBNAIL_LAYER });
    expect(wishFor('hidden', refreshing)).toBeNull();
  });
});
