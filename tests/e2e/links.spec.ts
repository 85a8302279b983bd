// Links that break: a commune on its own network namespace (tests/support/netns.ts) behind a
// shaped, then cut link, and a server killed and started again. Traffic goes only between this
// machine and the test host the test made.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page, chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../playwright.config';
import { CHAIR_SEAT, publishInvites } from '../support/invitations';
import { LinkEmulator } from '../support/linkEmulator';
import { TestHost, canMakeNetworkNamespaces } from '../support/netns';
import { TEST_BROWSER_HOME, testTlsDir } from '../support/testTls';
import { type MeetingPoint, type RunningSfu, closedPort, descendants, expect, expectReceiving, join, openMeetingPoint, startSfuProcess, test, tileOf } from './fixtures';

const COMMUNE = 'Xã Tân Lập';
let testHost: TestHost | undefined;
let link: LinkEmulator | undefined;
let sfu: RunningSfu | undefined;
let chair: MeetingPoint | undefined;
let communeBrowser: Browser | undefined;

test.beforeAll(() => {
  // Not skipped: a machine that cannot run these tests should say so loudly, not pass quietly.
  if (!canMakeNetworkNamespaces()) throw new Error('the broken-link tests need root, `ip` (iproute2) and `nft` (nftables) to make test hosts in network namespaces; CI runs as root and installs both');
});

test.afterEach(async () => {
  await communeBrowser?.close();
  await chair?.close();
  await sfu?.stop();
  link?.close();
  testHost?.destroy();
  [communeBrowser, chair, sfu, testHost, link] = [undefined, undefined, undefined, undefined, undefined];
});

/** The commune as seen by `chair`: its page is in the namespace. */
interface Commune {
  page: Page;
  name: string;
}

/** The SFU as its own process, reachable by the commune only through the link emulator: its
 * media address on the test host's link is announced as the emulator's. */
function startServer(port: number, mediaPort: number, dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-sfu-'))): Promise<RunningSfu> {
  return startSfuProcess({
    port,
    dataDir,
    // Over TLS, as any server on another machine: its CA is the one the test machine trusts.
    extraArgs: ['--host', '0.0.0.0', '--media-port', String(mediaPort), '--media-ip', `${testHost!.hostIp}@${testHost!.relayIp}`, '--tls-dir', testTlsDir(dataDir)],
  });
}

async function briefingAcrossTheLink(browser: Browser, code: string, subnet: number) {
  testHost = TestHost.create(subnet);
  const mediaPort = await closedPort();
  sfu = await startServer(await closedPort(), mediaPort);
  link = await LinkEmulator.start(testHost.relayIp, { ip: testHost.hostIp, signalingPort: sfu.port, mediaPort });
  const invites = await publishInvites(sfu, code, [COMMUNE]);
  chair = await openMeetingPoint(browser, CHAIR_SEAT);
  await join(chair, sfu.url, code, invites.chair);

  const appUrl = await testHost.startApp();
  communeBrowser = await chromium.launch({ executablePath: testHost.chromiumWrapper(), args: CHROMIUM_ARGS, env: { ...process.env, HOME: TEST_BROWSER_HOME } });
  const page = await (await communeBrowser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' })).newPage();
  await page.goto(appUrl);
  const commune = { name: COMMUNE, page } as Commune & MeetingPoint;
  // The same server in clear text is refused before anything is sent: codes never cross a network unencrypted.
  await page.getByLabel('Địa chỉ máy chủ').fill(link.signalingUrl.replace('wss://', 'ws://'));
  await page.getByRole('button', { name: 'Vào giao ban' }).click();
  await expect(page.getByRole('alert')).toContainText('phải dùng kết nối mã hóa');
  await join(commune, link.signalingUrl, code, invites.points[COMMUNE]);
  await expectReceiving(chair, COMMUNE);
  await expectReceiving(commune, CHAIR_SEAT);
  return { commune, invites: invites, mediaPort };
}

test('5% loss and a 300 ms round trip: sound keeps flowing and video recovers', async ({ browser }) => {
  test.setTimeout(180_000);
  const { commune } = await briefingAcrossTheLink(browser, 'giaoban-mang-yeu', 1);
  // On a sound link the chair's board shows what the commune's own app reports of it.
  const row = chair!.page.locator(`.roll-call tr[data-seat="${COMMUNE}"]`);
  await expect(row.locator('td[data-measured-by]')).toHaveAttribute('data-measured-by', 'point', { timeout: 15_000 });
  await expect(row.locator('td[data-measured-by]')).toHaveAttribute('title', 'Số đo do điểm cầu tự báo từ máy của mình');
  link!.set({ delayMs: 150, lossPct: 5 });
  // Both ways: the chair keeps decoding the commune and the commune the chair, for 20 s on end.
  await commune.page.waitForTimeout(5000);
  await expectReceiving(chair!, COMMUNE);
  await expectReceiving(commune, CHAIR_SEAT);
  await commune.page.waitForTimeout(10_000);
  await expectReceiving(chair!, COMMUNE);
  await expectReceiving(commune, CHAIR_SEAT);
  // The chair's board shows the commune's link as it is: a round trip near 300 ms.
  await expect.poll(async () => Number(/(\d+) ms/.exec((await row.textContent()) ?? '')?.[1] ?? 0), { timeout: 20_000 }).toBeGreaterThan(200);
});

test('the link cut for 15 s: the commune is back on its own within 5 s of it returning, in the same seat', async ({ browser }) => {
  test.setTimeout(180_000);
  const { commune } = await briefingAcrossTheLink(browser, 'giaoban-dut-mang', 2);
  await commune.page.getByRole('button', { name: 'Đăng ký phát biểu' }).click();
  await expect(chair!.page.locator(`[data-queued="${COMMUNE}"]`)).toBeVisible();

  testHost!.cut();
  const cutAt = Date.now();
  // The server notices the silence and holds the seat; the commune's app notices too.
  await expect(chair!.page.locator(`.roll-call tr[data-seat="${COMMUNE}"]`)).toHaveAttribute('data-state', 'reconnecting', { timeout: 14_000 });
  await expect(commune.page.getByRole('alert')).toContainText('đang tự kết nối lại', { timeout: 14_000 });
  await commune.page.waitForTimeout(Math.max(0, 15_000 - (Date.now() - cutAt)));
  testHost!.restore();
  const restored = Date.now();

  await expect(chair!.page.locator(`.roll-call tr[data-seat="${COMMUNE}"]`)).toHaveAttribute('data-state', 'present', { timeout: 10_000 });
  const presentAfterMs = Date.now() - restored;
  await expect(tileOf(chair!, COMMUNE)).toHaveCount(1, { timeout: 10_000 });
  const backAfterMs = Date.now() - restored;
  test.info().annotations.push({ type: 'back after', description: `seated ${presentAfterMs} ms, seen ${backAfterMs} ms` });
  expect(backAfterMs, `back after ${backAfterMs} ms, seated after ${presentAfterMs} ms`).toBeLessThan(5000);
  // The same seat: still in the floor queue, and media both ways again.
  await expect(chair!.page.locator(`[data-queued="${COMMUNE}"]`)).toBeVisible();
  await expect(commune.page.getByRole('button', { name: 'Hủy đăng ký phát biểu' })).toBeVisible();
  await expectReceiving(chair!, COMMUNE);
  await expectReceiving(commune, CHAIR_SEAT);
});

test('the link lost for two and a half minutes, past the seat hold: the commune is back on its own within 8 s of it returning', async ({ browser }) => {
  // A 3G link gone for minutes. The app keeps trying all that while, and Chromium holds back each
  // new WebSocket of a page with many recent failures (up to 5 s): the tries must still get
  // through once the link returns. The seat's hold (2 min) has passed, so the invite code takes it.
  test.setTimeout(300_000);
  const { commune } = await briefingAcrossTheLink(browser, 'giaoban-mat-mang-lau', 5);
  const row = chair!.page.locator(`.roll-call tr[data-seat="${COMMUNE}"]`);
  testHost!.cut();
  const cutAt = Date.now();
  await expect(row).toHaveAttribute('data-state', 'reconnecting', { timeout: 14_000 });
  await expect(row).toHaveAttribute('data-state', 'left', { timeout: 140_000 });
  await commune.page.waitForTimeout(Math.max(0, 150_000 - (Date.now() - cutAt)));
  testHost!.restore();
  const restored = Date.now();

  await expect(row).toHaveAttribute('data-state', 'present', { timeout: 20_000 });
  const presentAfterMs = Date.now() - restored;
  await expect(tileOf(chair!, COMMUNE)).toHaveCount(1, { timeout: 10_000 });
  const backAfterMs = Date.now() - restored;
  test.info().annotations.push({ type: 'back after', description: `seated ${presentAfterMs} ms, seen ${backAfterMs} ms` });
  expect(backAfterMs, `back after ${backAfterMs} ms, seated after ${presentAfterMs} ms`).toBeLessThan(8000);
  await expectReceiving(chair!, COMMUNE);
  await expectReceiving(commune, CHAIR_SEAT);
});

test('the server killed and started again: every point is back within 10 s', async ({ browser }) => {
  test.setTimeout(180_000);
  const { commune, mediaPort } = await briefingAcrossTheLink(browser, 'giaoban-may-chu', 3);
  const { port, dataDir } = sfu!;
  // The whole server: its Node process and its media worker.
  const tree = [sfu!.process.pid!, ...descendants(sfu!.process.pid!).map((p) => p.pid)];
  tree.forEach((pid) => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  const killed = Date.now();
  await expect(tileOf(chair!, COMMUNE)).toHaveCount(0);
  sfu = await startServer(port, mediaPort, dataDir);
  await expect(tileOf(chair!, COMMUNE)).toHaveCount(1, { timeout: 15_000 });
  await expect(tileOf(commune, CHAIR_SEAT)).toHaveCount(1, { timeout: 15_000 });
  const backAfterMs = Date.now() - killed;
  test.info().annotations.push({ type: 'back after', description: `${backAfterMs} ms` });
  expect(backAfterMs).toBeLessThan(10_000);
  await expectReceiving(chair!, COMMUNE);
  await expectReceiving(commune, CHAIR_SEAT);
});

/** Opus speech with its headers (about 40 kbps) and the stage's smallest layer as the fake camera
 * fills it (about 50 kbps). */
const SOUND_AND_SMALL_PICTURE_KBPS = 96;

const stageWidth = (point: Commune) => point.page.evaluate(() => document.querySelector<HTMLVideoElement>('[data-testid="stage"] video')?.videoWidth ?? 0);

/** What `point` receives of the stage's picture and sound each second (payload, from its WebRTC stats). */
const stageKbps = async (point: Commune) => Number((await point.page.getByTestId('stage').getAttribute('data-kbps-received')) ?? 0);

test('behind a link too narrow for its stage the commune saves data by itself and keeps the sound; the full stage is back when it says so', async ({ browser }) => {
  test.setTimeout(240_000);
  const { commune } = await briefingAcrossTheLink(browser, 'giaoban-tiet-kiem', 4);
  // The chair's (fake) camera gives the 1280×720 the app asks: its layers are 320, 640 and 1280
  // wide. The stage, about 470 pixels wide in this 1280×800 window, takes the 640 that fills it.
  const fullWidth = 640;
  await expect.poll(() => stageWidth(commune), { timeout: 30_000 }).toBe(fullWidth);
  // A camera's 640 layer fills its 350 kbps; the fake camera's plain picture needs far less, and
  // on some machines fits in 256 kbps. The link is made narrower than what this stage takes once
  // its encoder has settled (its first seconds ran higher, and a cap sized from them let the
  // settled stage through whole on the CI machine).
  await commune.page.waitForTimeout(5000);
  const readings: number[] = [];
  for (let i = 0; i < 5; i++) {
    await commune.page.waitForTimeout(1000);
    readings.push(await stageKbps(commune));
  }
  // The median: one second's reading can dip far below the stage's rate (19 kbps against 259 in
  // a run here), and a cap sized from it (11 kbps) carried neither the sound nor the signaling.
  const taking = [...readings].sort((a, b) => a - b)[Math.floor(readings.length / 2)];
  expect(taking, 'the stage is received').toBeGreaterThan(0);
  // Never below what the sound and the smallest picture need, which this test asserts still come.
  const kbps = Math.max(SOUND_AND_SMALL_PICTURE_KBPS, Math.min(256, Math.round(0.6 * taking)));
  test.info().annotations.push({ type: 'link', description: `${kbps} kbps for a stage taking ${taking} kbps (readings ${readings.join(', ')})` });
  link!.set({ delayMs: 40, lossPct: 0, kbps });
  // The server's congestion control sends the stage below the layer asked; about 9 s later the
  // app saves data and says so.
  await expect(commune.page.getByText('đã tự bật tiết kiệm dữ liệu'), `data saving on by itself behind ${kbps} kbps (stage readings ${readings.join(', ')} kbps)`).toBeVisible({ timeout: 60_000 });
  await expect(commune.page.getByRole('button', { name: 'Tiết kiệm dữ liệu', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => stageWidth(commune), { timeout: 20_000 }).toBeLessThanOrEqual(320);
  // The chair is still heard (and seen, small) through the narrow link.
  await expectReceiving(commune, CHAIR_SEAT);

  link!.set({ delayMs: 0, lossPct: 0 });
  await commune.page.getByRole('button', { name: 'Tắt tiết kiệm dữ liệu' }).click();
  await expect(commune.page.getByRole('button', { name: 'Tiết kiệm dữ liệu', exact: true })).toHaveAttribute('aria-pressed', 'false');
  // The server's estimate of the link climbs back from what the narrow link allowed, at a pace
  // its own traffic sets: 2 to 35 s here, more than 30 s on a loaded CI machine. This asserts that
  // the stage comes back; how fast is measured by `npm run bench` (weak link, "once it is lifted").
  const liftedAt = Date.now();
  await expect.poll(() => stageWidth(commune), { timeout: 90_000 }).toBe(fullWidth);
  test.info().annotations.push({ type: 'recovery', description: `full stage ${Math.round((Date.now() - liftedAt) / 1000)} s after the link was lifted` });
});
