// Send only what someone receives: a commune shown only as a thumbnail encodes only its thumbnail
// layer (read from its own browser's sender), gets back the layers the stages showing it need
// within a couple of seconds of being given the floor, and drops them again when the floor is taken back.
import { CHAIR_SEAT, publishInvites } from '../support/invitations';
import { KEEP_PEER_CONNECTIONS, encodedLayers as layersOf } from '../support/senderLayers';
import { type MeetingPoint, expect, expectReceiving, join, openMeetingPoint, startSfuProcess, test } from './fixtures';

const encodedLayers = (point: MeetingPoint) => layersOf(point.page);

const CODE = 'chi-gui-lop-can';
let points: MeetingPoint[] = [];
test.afterEach(async () => {
  await Promise.all(points.map((p) => p.close()));
  points = [];
});

/** Frames each named point's video played in two seconds, per second. */
async function framesPerSecond(point: MeetingPoint, names: string[]): Promise<Record<string, number>> {
  const count = () =>
    point.page.evaluate((list) => {
      const frames: Record<string, number> = {};
      for (const name of list) frames[name] = document.querySelector<HTMLVideoElement>(`[data-peer-name="${name}"] video`)?.getVideoPlaybackQuality().totalVideoFrames ?? 0;
      return frames;
    }, names);
  const before = await count();
  await point.page.waitForTimeout(2000);
  const after = await count();
  return Object.fromEntries(names.map((name) => [name, (after[name] - before[name]) / 2]));
}

test('a commune off stage encodes only its thumbnail layer, and the layers the stages need while it has the floor', async ({ browser }, testInfo) => {
  const sfu = await startSfuProcess();
  try {
    const invites = await publishInvites(sfu, CODE, ['Xã Tân Lập', 'Xã Phú Sơn']);
    const chair = await openMeetingPoint(browser, CHAIR_SEAT);
    const tanLap = await openMeetingPoint(browser, 'Xã Tân Lập');
    const phuSon = await openMeetingPoint(browser, 'Xã Phú Sơn');
    points = [chair, tanLap, phuSon];
    await tanLap.page.addInitScript(KEEP_PEER_CONNECTIONS);
    await tanLap.page.reload();
    await join(chair, sfu.url, CODE, invites.chair);
    // Phú Sơn first: the chair's own stage shows the first point that joined, so Tân Lập is a
    // thumbnail everywhere (the chair on the communes' stages, in briefing mode).
    await join(phuSon, sfu.url, CODE, invites.points['Xã Phú Sơn']);
    await join(tanLap, sfu.url, CODE, invites.points['Xã Tân Lập']);
    await chair.page.getByLabel(/Chế độ giao ban/).click();
    await expect(chair.page.getByLabel(/Chế độ giao ban/)).toBeChecked();
    await expect.poll(() => encodedLayers(tanLap), { timeout: 15_000 }).toEqual([true, false, false]);
    // A thumbnail comes at a quarter of the frame rate (its lowest temporal layer): at Phú Sơn,
    // the chair on stage plays far more frames than Tân Lập's thumbnail.
    // (Its sound is held in briefing mode: only its picture is waited for.)
    await expect.poll(async () => (await framesPerSecond(phuSon, ['Xã Tân Lập']))['Xã Tân Lập'], { timeout: 20_000 }).toBeGreaterThan(0);
    const rates = await framesPerSecond(phuSon, [CHAIR_SEAT, 'Xã Tân Lập']);
    console.log(`[thumbnails] frames per second at Phú Sơn: ${JSON.stringify(rates)}`);
    expect(rates['Xã Tân Lập']).toBeGreaterThan(0);
    expect(rates['Xã Tân Lập']).toBeLessThan(rates[CHAIR_SEAT] * 0.6);

    const row = chair.page.getByRole('region', { name: 'Điểm danh' }).locator('tr[data-seat="Xã Tân Lập"]');
    const granted = Date.now();
    await row.getByRole('button', { name: 'Cho phát biểu' }).click();
    // The stages that show it (about 470 pixels wide in these 1280×800 windows) need its 640-wide
    // layer: it encodes the two lowest again; a full-HD stage would bring the third (briefing.spec).
    await expect.poll(() => encodedLayers(tanLap), { timeout: 5000, intervals: [100] }).toEqual([true, true, false]);
    const fullLayersMs = Date.now() - granted;
    testInfo.annotations.push({ type: 'stage layers after the floor', description: `${fullLayersMs} ms` });
    console.log(`[dynacast] the stage's layers encoded ${fullLayersMs} ms after the floor was given`);
    await expect(phuSon.page.getByTestId('stage')).toHaveAttribute('data-peer-name', 'Xã Tân Lập');
    await expectReceiving(phuSon, 'Xã Tân Lập');

    await chair.page.getByRole('button', { name: 'Kết thúc phát biểu' }).click();
    await expect.poll(() => encodedLayers(tanLap), { timeout: 15_000 }).toEqual([true, false, false]);
  } finally {
    await sfu.stop();
  }
});
