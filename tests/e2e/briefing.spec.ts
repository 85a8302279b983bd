// Meeting points see and hear each other through a real SFU, in real Chromium pages.
import type { Browser } from '@playwright/test';
import { type Invites, publishInvites } from '../support/invitations';
import { TestClient } from '../support/sfuTestClient';
import { closedPort, descendants, expect, expectReceiving, join, openMeetingPoint, type MeetingPoint, type RunningSfu, test, tileOf, leaveBriefing } from './fixtures';

let points: MeetingPoint[] = [];
test.afterEach(async () => {
  await Promise.all(points.map((p) => p.close()));
  points = [];
});

const videoWidth = (viewer: MeetingPoint, name: string) =>
  tileOf(viewer, name).locator('video').evaluate((v: HTMLVideoElement) => v.videoWidth);

/** The district (chairing) and one commune in the same published briefing, each seeing the other. */
async function districtAndCommune(browser: Browser, sfu: RunningSfu, code: string, communeName: string) {
  const serverUrl = sfu.url;
  invites = await publishInvites(sfu, code, [communeName, 'Thị trấn Phú Lộc', 'raw 1', 'raw 2'], { chairSeat: 'UBND huyện' });
  const district = await openMeetingPoint(browser, 'UBND huyện');
  const commune = await openMeetingPoint(browser, communeName);
  points = [district, commune];
  await join(district, serverUrl, code, invites.chair);
  await join(commune, serverUrl, code, invites.points[communeName]);
  await expectReceiving(district, communeName);
  return [district, commune] as const;
}
let invites: Invites;

test('two meeting points decode each other’s video and receive each other’s sound', async ({ browser, sfu }, testInfo) => {
  const [district, commune] = await districtAndCommune(browser, sfu, 'giaoban-thu-hai', 'Xã Tân Lập');
  await expectReceiving(commune, 'UBND huyện');
  // The stage is received at the smallest layer that fills it as shown: about 470 pixels wide in
  // a 1280×800 window takes the 640-wide layer; a full-HD window, the 1280 one; back again when
  // the window shrinks.
  await expect.poll(() => videoWidth(commune, 'UBND huyện'), { timeout: 30_000 }).toBe(640);
  await commune.page.setViewportSize({ width: 1920, height: 1080 });
  await expect.poll(() => videoWidth(commune, 'UBND huyện'), { timeout: 30_000 }).toBe(1280);
  await commune.page.setViewportSize({ width: 1280, height: 800 });
  await expect.poll(() => videoWidth(commune, 'UBND huyện'), { timeout: 30_000 }).toBe(640);

  // Muting is seen by the other side, and undone.
  await commune.page.getByRole('button', { name: 'Tắt micrô' }).click();
  await expect(tileOf(district, 'Xã Tân Lập')).toContainText('Đã tắt micrô');
  await commune.page.getByRole('button', { name: 'Bật micrô' }).click();
  await expect(tileOf(district, 'Xã Tân Lập')).not.toContainText('Đã tắt micrô');

  const screenshot = testInfo.outputPath('briefing-view.png');
  await commune.page.screenshot({ path: screenshot });
  await testInfo.attach('briefing view', { path: screenshot, contentType: 'image/png' });
});

test('a late joiner gets everyone; a meeting point whose app closes is gone within 2 s', async ({ browser, sfu }) => {
  const [a, b] = await districtAndCommune(browser, sfu, 'giaoban-tre', 'Xã Đồng Tâm');

  const late = await openMeetingPoint(browser, 'Thị trấn Phú Lộc');
  points.push(late);
  await join(late, sfu.url, 'giaoban-tre', invites.points['Thị trấn Phú Lộc']);
  await expectReceiving(late, 'UBND huyện');
  await expectReceiving(late, 'Xã Đồng Tâm');
  await expectReceiving(a, 'Thị trấn Phú Lộc');
  await expectReceiving(b, 'Thị trấn Phú Lộc');

  // With the communes muted the district is the only speaker, so the late joiner shows it on the
  // main stage and the commune as a thumbnail on the lowest simulcast layer (a quarter of the
  // 1280-pixel camera). Fake microphones all beep alike, so unmuted ones take turns as speaker.
  for (const commune of [b, late]) await commune.page.getByRole('button', { name: 'Tắt micrô' }).click();
  await expect(late.page.getByTestId('stage')).toHaveAttribute('data-peer-name', 'UBND huyện');
  await expect.poll(() => videoWidth(late, 'Xã Đồng Tâm'), { timeout: 20_000 }).toBeLessThanOrEqual(320);
  expect(await videoWidth(late, 'Xã Đồng Tâm')).toBeGreaterThan(0);

  // The app of one commune is closed without leaving.
  await b.close();
  await expect(tileOf(a, 'Xã Đồng Tâm')).toHaveCount(0, { timeout: 2000 });
  await expect(tileOf(late, 'Xã Đồng Tâm')).toHaveCount(0, { timeout: 2000 });

  // The other leaves with the button.
  await leaveBriefing(late);
  await expect(tileOf(a, 'Thị trấn Phú Lộc')).toHaveCount(0, { timeout: 2000 });
  await expect(late.page.getByRole('button', { name: 'Vào giao ban' })).toBeVisible();

  // Back on the pre-join screen: the briefing is in the history with who was there, and the
  // meeting point's details are remembered after the app restarts.
  await expect(late.page.locator('.history')).toContainText('giaoban-tre');
  await expect(late.page.locator('.history')).toContainText('UBND huyện');
  await late.page.reload();
  await expect(late.page.getByLabel('Tên điểm cầu')).toHaveValue('Thị trấn Phú Lộc');
  await expect(late.page.getByLabel('Mã cuộc giao ban')).toHaveValue('giaoban-tre');
});

test('malformed, unknown, oversized and trespassing messages get errors; the briefing goes on', async ({ browser, sfu }) => {
  const [a, b] = await districtAndCommune(browser, sfu, 'giaoban-an-toan', 'Xã Hòa Bình');

  // A raw WebSocket client, as a broken or hostile program would use.
  const attacker = await TestClient.connect(sfu.url);
  attacker.socket.send('{ this is not json');
  attacker.socket.send(JSON.stringify({ id: 900, method: 'join', data: { briefingCode: 'x'.repeat(200_000) } }));
  await expect.poll(() => attacker.unsolicited.map((r) => r.error?.code)).toEqual(['bad_json', 'too_large']);
  expect((await attacker.request('dropEverything')).error?.code).toBe('unknown_method');

  // A second raw client owns a transport; the first names it and is refused.
  const victim = await TestClient.connect(sfu.url);
  expect((await victim.join('giaoban-an-toan', 'raw 1', { credential: invites.points['raw 1'] })).ok).toBe(true);
  expect((await attacker.join('giaoban-an-toan', 'raw 2', { credential: invites.points['raw 2'] })).ok).toBe(true);
  const victimTransport = (await victim.request('createTransport', { direction: 'recv' })).data.id as string;
  const dtlsParameters = { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AA:BB' }] };
  const trespass = await attacker.request('connectTransport', { transportId: victimTransport, dtlsParameters });
  expect(trespass.error?.code).toBe('not_found');

  attacker.socket.close();
  victim.socket.close();
  await expectReceiving(a, 'Xã Hòa Bình');
  await expectReceiving(b, 'UBND huyện');
  expect(sfu.process.exitCode).toBeNull();
});

test('the pre-join screen refuses an unreachable server with a clear Vietnamese message', async ({ browser }) => {
  const point = await openMeetingPoint(browser, 'Xã Tân Lập');
  points = [point];
  const { page } = point;
  const down = `ws://127.0.0.1:${await closedPort()}`;
  await page.getByLabel('Địa chỉ máy chủ').fill(down);
  await page.getByLabel('Mã cuộc giao ban').fill('giaoban-thu-hai');
  await page.getByLabel('Tên điểm cầu').fill(point.name);
  await page.getByRole('button', { name: 'Vào giao ban' }).click();
  await expect(page.getByRole('alert')).toContainText(`Không kết nối được tới máy chủ ${down}`);

  await page.getByLabel('Địa chỉ máy chủ').fill('may-chu-huyen');
  await page.getByRole('button', { name: 'Vào giao ban' }).click();
  await expect(page.getByRole('alert')).toContainText('Địa chỉ máy chủ không hợp lệ');
  // Still on the pre-join screen, with what the operator typed kept.
  await expect(page.getByLabel('Tên điểm cầu')).toHaveValue('Xã Tân Lập');

  // English is one choice away.
  await page.getByLabel('Ngôn ngữ').selectOption('en');
  await expect(page.getByRole('heading', { name: 'Join the briefing' })).toBeVisible();
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.getByRole('alert')).toContainText('The server address is not valid');
});

test('when the media worker dies, meeting points rejoin by themselves and see each other again', async ({ browser, sfu }) => {
  const [a, b] = await districtAndCommune(browser, sfu, 'giaoban-khoi-dong-lai', 'Xã Tân Lập');

  const workers = descendants(sfu.process.pid!).filter((p) => p.command.includes('mediasoup-worker'));
  expect(workers).toHaveLength(1);
  process.kill(workers[0].pid, 'SIGKILL');
  // Let the old streams go before looking for the new ones.
  await expect.poll(() => descendants(sfu.process.pid!).some((p) => p.pid === workers[0].pid)).toBe(false);
  await a.page.waitForTimeout(1500);

  await expectReceiving(a, 'Xã Tân Lập');
  await expectReceiving(b, 'UBND huyện');
  await expect(a.page.getByRole('alert')).toHaveCount(0);
  expect(sfu.process.exitCode).toBeNull();
});
