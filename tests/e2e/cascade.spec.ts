// A national briefing in cascade, three servers on three test hosts: the central server on this
// machine, two province servers each in its own network namespace with a commune's app and
// Chromium beside it. The province servers relay the central briefing to their communes; a
// commune asks for the floor on its province server and the central chair grants it; the link
// between the central server and one province is cut for 15 s and comes back by itself.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium } from '@playwright/test';
import { runConsoleCommand } from '../../sfu-server/src/console';
import { CHROMIUM_ARGS } from '../../playwright.config';
import { publishInvites } from '../support/invitations';
import { TestHost, canMakeNetworkNamespaces } from '../support/netns';
import { type RunningSfu, startSfuProcess } from '../support/sfuProcess';
import { briefingDraft } from '../support/recordFixture';
import { TEST_BROWSER_HOME, testTlsDir } from '../support/testTls';
import { type MeetingPoint, closedPort, expect, expectReceiving, join, openMeetingPoint, test } from './fixtures';

const CHAIR = 'Văn phòng Chính phủ';
const PROVINCES = [
  { relaySeat: 'Tỉnh Bình Nguyên', code: 'tinh-binh-nguyen', commune: 'Xã Tân Lập', subnet: 6 },
  { relaySeat: 'Tỉnh Hòa Sơn', code: 'tinh-hoa-son', commune: 'Phường Đông Hà', subnet: 7 },
];

const cleanups: (() => Promise<void> | void)[] = [];
test.afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
});

test.beforeAll(() => {
  if (!canMakeNetworkNamespaces()) throw new Error('the cascade test needs root, `ip` (iproute2) and `nft` (nftables) to make its test hosts; CI runs as root and installs both');
});

interface Province {
  host: TestHost;
  server: RunningSfu;
  commune: MeetingPoint;
}

/** A province server on its own test host, relaying the central briefing, with one commune's app
 * and Chromium beside it (the commune reaches its server on that host, as a PC on the province's
 * network would; the link to the central server is the test host's only way out). */
async function province(spec: (typeof PROVINCES)[number], host: TestHost, relayInvitation: string): Promise<Province> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-province-'));
  const server = await startSfuProcess({ namespace: host.namespace, dataDir, extraArgs: ['--host', '0.0.0.0', '--media-ip', host.pointIp] });
  cleanups.push(() => server.stop());
  const localUrl = `ws://${host.pointIp}:${server.port}`;
  const local = await publishInvites({ url: localUrl, organizerKey: server.organizerKey }, spec.code, [spec.commune], { chairSeat: `UBND ${spec.relaySeat.toLowerCase()}` });
  // The province's IT officer links its briefing on the console with the invitation the central
  // organizer sent for its server's seat, pasted whole.
  let said = '';
  expect(await runConsoleCommand(['cascade', 'link', spec.code, relayInvitation, '--data-dir', dataDir], {}, (line) => (said += line))).toBe(0);
  expect(said).toContain('relays quoc-gia');

  const appUrl = await host.startApp();
  const browser: Browser = await chromium.launch({ executablePath: host.chromiumWrapper(), args: CHROMIUM_ARGS, env: { ...process.env, HOME: TEST_BROWSER_HOME } });
  cleanups.push(() => browser.close());
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' })).newPage();
  await page.goto(appUrl);
  const commune = { name: spec.commune, page } as MeetingPoint;
  // On its own server's machine the commune's app may use plain ws:// to loopback.
  await join(commune, `ws://127.0.0.1:${server.port}`, spec.code, local.points[spec.commune]);
  return { host, server, commune };
}

test('the central chair reaches two provinces through their servers; the floor crosses; a cut link comes back by itself', async ({ browser }) => {
  test.setTimeout(300_000);
  const centralPort = await closedPort();
  const centralDir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-central-'));
  // The test hosts first: the central server's media address is on the first one's link,
  // reachable from both by their default route.
  const hosts = PROVINCES.map((spec) => {
    const host = TestHost.create(spec.subnet);
    cleanups.push(() => host.destroy());
    host.inside('ip', 'route', 'add', 'default', 'via', host.hostIp);
    return host;
  });
  const central = await startSfuProcess({
    port: centralPort,
    dataDir: centralDir,
    extraArgs: ['--host', '0.0.0.0', '--media-ip', `10.231.${PROVINCES[0].subnet}.1`, '--tls-dir', testTlsDir(centralDir)],
  });
  cleanups.push(() => central.stop());
  // The central organizer invites the province servers beside its points, and copies each
  // server's invitation from Chuẩn bị.
  const centralUrl = `wss://${hosts[0].hostIp}:${centralPort}`;
  const chair = await openMeetingPoint(browser, CHAIR);
  cleanups.push(() => chair.close());
  await chair.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await chair.services.api.saveOrganizerKey({ serverUrl: centralUrl, key: central.organizerKey });
  const draft = briefingDraft({ code: 'quoc-gia', title: 'Giao ban toàn quốc tháng 12', hostUnit: CHAIR, invitedPoints: ['Bộ Nội vụ'], invitedServers: PROVINCES.map((p) => p.relaySeat), startsAt: new Date(Date.now() + 3600_000).toISOString() });
  await chair.services.api.publishBriefing({ serverUrl: centralUrl, draft });
  const c = chair.page;
  await c.setViewportSize({ width: 1366, height: 768 });
  await c.getByRole('tab', { name: 'Chuẩn bị' }).click();
  await c.getByLabel('Địa chỉ máy chủ').fill(centralUrl);
  await c.getByText(/Giao ban toàn quốc tháng 12 — /).click();
  const invitations: string[] = [];
  for (const spec of PROVINCES) {
    await c.getByRole('button', { name: `Chép giấy mời của ${spec.relaySeat}` }).click();
    await expect(c.getByRole('status').filter({ hasText: `Đã chép giấy mời của ${spec.relaySeat}` })).toBeVisible();
    invitations.push(await c.evaluate(() => navigator.clipboard.readText()));
  }

  const [east, west] = await Promise.all(PROVINCES.map((spec, i) => province(spec, hosts[i], invitations[i])));
  await c.getByRole('tab', { name: 'Vào giao ban' }).click();
  await join(chair, centralUrl, 'quoc-gia');

  // The central chair is seen and heard at both provinces' communes, on their stage.
  for (const { commune } of [east, west]) {
    await expectReceiving(commune, CHAIR);
    await expect(commune.page.getByTestId('stage')).toHaveAttribute('data-peer-name', CHAIR);
  }
  // The central roll call has each province as one seat, its commune rolled up. The chair opens
  // Điều hành to see it (the roll call draws only the rows in view, none while its tab is shut).
  await c.getByRole('tab', { name: /Điều hành/ }).click();
  await expect(chair.page.getByRole('region', { name: 'Điểm danh' }).locator(`tr[data-seat="${PROVINCES[0].relaySeat}"]`)).toContainText('1/1 điểm cầu có mặt');

  // Tân Lập (east) asks to speak on its province server; the central chair grants it.
  await east.commune.page.getByRole('button', { name: 'Đăng ký phát biểu' }).click();
  const queued = chair.page.locator(`[data-queued="${PROVINCES[0].relaySeat} — ${PROVINCES[0].commune}"]`);
  await expect(queued).toBeVisible({ timeout: 20_000 });
  await queued.getByRole('button', { name: 'Cho phát biểu' }).click();
  // Seen and heard at the other province, on its stage, and at the centre.
  await expect(west.commune.page.getByTestId('stage')).toHaveAttribute('data-peer-name', PROVINCES[0].relaySeat, { timeout: 20_000 });
  await expectReceiving(west.commune, PROVINCES[0].relaySeat);
  await expectReceiving(chair, PROVINCES[0].relaySeat);

  // The chair ends the turn: the west commune's stage is the chair's again.
  await chair.page.getByRole('button', { name: 'Kết thúc phát biểu' }).click();
  await expect(west.commune.page.getByTestId('stage')).toHaveAttribute('data-peer-name', CHAIR, { timeout: 20_000 });

  // The link between the central server and the west province is cut for 15 s.
  west.host.cut();
  await new Promise((r) => setTimeout(r, 15_000));
  west.host.restore();
  // Back by itself: the chair again on the west commune's stage; the commune stayed seated on its
  // own server all along (its link to it never broke), and the central roll call has it back.
  await expect(west.commune.page.getByTestId('stage')).toHaveAttribute('data-peer-name', CHAIR, { timeout: 30_000 });
  await expectReceiving(west.commune, CHAIR);
  await expect(west.commune.page.locator('[data-briefing-code="tinh-hoa-son"]')).toBeVisible();
  await expect(chair.page.getByRole('region', { name: 'Điểm danh' }).locator(`tr[data-seat="${PROVINCES[1].relaySeat}"]`)).toHaveAttribute('data-state', 'present', { timeout: 30_000 });
});
