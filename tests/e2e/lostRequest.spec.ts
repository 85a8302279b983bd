// A request lost on its way to the server (a busy link, a server answering 400 streams of a join
// first) leaves nobody waiting for it once it has timed out. The commune that asked to see the
// chair again would see only a dark stage, with the sound going, all briefing; it asks again for a
// picture it wants and does not get.
import { districtChairing, expect, expectReceiving, join, type MeetingPoint, test, tileOf } from './fixtures';
import { loseNextRequest } from './signalingRoutes';

let points: MeetingPoint[] = [];
test.afterEach(async () => {
  await Promise.all(points.map((p) => p.close()));
  points = [];
});

const framesOf = async (viewer: MeetingPoint, name: string) => Number((await tileOf(viewer, name).getAttribute('data-frames-decoded')) ?? 0);

test('a commune whose request to see the chair again is lost gets the picture back by itself', async ({ browser, sfu }) => {
  const code = 'giaoban-yeu-cau-lac';
  const { commune, communeInvite } = await districtChairing(browser, sfu, code, points);
  const resume = await loseNextRequest(commune, 'resumeConsumer');
  await join(commune, sfu.url, code, communeInvite);
  await expectReceiving(commune, 'UBND huyện');

  // Sound only for a while: the chair's picture stops coming.
  await commune.page.getByRole('button', { name: 'Chỉ âm thanh' }).click();
  await expect(tileOf(commune, 'UBND huyện')).toHaveAttribute('data-video', 'paused');
  await commune.page.waitForTimeout(2000);
  const stopped = await framesOf(commune, 'UBND huyện');

  // Pictures back on; the request that would bring the chair's picture again is lost.
  resume.arm();
  await commune.page.getByRole('button', { name: 'Bật lại hình ảnh' }).click();
  await expect.poll(() => resume.lost(), { message: 'the request to see the chair again was sent (and lost)' }).toBe(1);
  await expect.poll(() => framesOf(commune, 'UBND huyện'), { timeout: 30_000, message: "the chair's picture comes back" }).toBeGreaterThan(stopped);
  await expectReceiving(commune, 'UBND huyện');
});
