// The invitation as a QR code: the province shows a commune's invitation as a QR code in Chuẩn
// bị (to print); at the commune the operator holds that picture up to the meeting point's camera
// on the pre-join screen, and the app joins straight into the commune's invited seat.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../playwright.config';
import { y4mOfPicture } from '../support/fakeCamera';
import { briefingDraft } from '../support/recordFixture';
import { TEST_BROWSER_HOME } from '../support/testTls';
import { expect, type MeetingPoint, openMeetingPoint, startSfuProcess, test } from './fixtures';

let points: MeetingPoint[] = [];
test.afterEach(async () => {
  await Promise.all(points.map((p) => p.close()));
  points = [];
});

test("a commune scans the printed invitation's QR code with its camera and joins into its seat", async ({ browser }) => {
  const sfu = await startSfuProcess();
  const province = await openMeetingPoint(browser, 'UBND tỉnh Thử Nghiệm');
  points = [province];
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-qr-'));
  try {
    await province.services.api.saveOrganizerKey({ serverUrl: sfu.url, key: sfu.organizerKey });
    const draft = briefingDraft({ code: 'giay-moi-qr', title: 'Giao ban trực tuyến tháng 12', hostUnit: 'UBND tỉnh Thử Nghiệm', startsAt: new Date(Date.now() + 3600_000).toISOString(), regular: false, invitedPoints: ['Xã Tân Lập', 'Phường Bình Minh'] });
    await province.services.api.publishBriefing({ serverUrl: sfu.url, draft });

    const p = province.page;
    await p.setViewportSize({ width: 1366, height: 768 });
    await p.getByRole('tab', { name: 'Chuẩn bị' }).click();
    await p.getByLabel('Địa chỉ máy chủ').fill(sfu.url);
    await p.getByText(/Giao ban trực tuyến tháng 12 — /).click();
    await p.getByRole('button', { name: 'Mã QR giấy mời của Phường Bình Minh' }).click();
    const card = p.locator('[data-invitation-card="Phường Bình Minh"]');
    await expect(card).toContainText('Mã cuộc giao ban: giay-moi-qr');
    const camera = path.join(folder, 'giay-moi.y4m');
    y4mOfPicture(await card.getByRole('img', { name: 'Mã QR giấy mời của Phường Bình Minh' }).screenshot(), camera);

    // The commune's PC, its camera seeing the printed invitation.
    const communeBrowser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [...CHROMIUM_ARGS, `--use-file-for-fake-video-capture=${camera}`],
      env: { ...process.env, HOME: TEST_BROWSER_HOME },
    });
    try {
      const commune = await openMeetingPoint(communeBrowser, 'Phường Bình Minh');
      points.push(commune);
      const c = commune.page;
      await c.setViewportSize({ width: 1366, height: 768 });
      await c.getByRole('button', { name: 'Quét mã QR giấy mời' }).click();
      await expect(c.getByRole('status').filter({ hasText: 'Đã điền từ giấy mời' })).toBeVisible({ timeout: 30_000 });
      await expect(c.getByLabel('Địa chỉ máy chủ')).toHaveValue(sfu.url);
      await expect(c.getByLabel('Mã cuộc giao ban')).toHaveValue('giay-moi-qr');
      await c.getByLabel('Tên điểm cầu').fill('P. Bình Minh');
      await c.getByRole('button', { name: 'Vào giao ban' }).click();
      await expect(c.locator('[data-briefing-code="giay-moi-qr"]')).toBeVisible();
      // The seat its scanned code opens, not the name typed.
      expect((await commune.services.api.inviteForJoining({ briefingCode: 'giay-moi-qr' }))?.seat).toBe('Phường Bình Minh');
    } finally {
      await Promise.all(points.map((point) => point.close()));
      points = [];
      await communeBrowser.close();
    }
  } finally {
    await sfu.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
