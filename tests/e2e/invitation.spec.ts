// One invitation per point: the province copies a commune's invitation from Chuẩn bị; the commune
// pastes it once, looks at another tab, comes back, and joins straight into its own seat.
import { invitationLink } from '../../main/api/invitation';
import { briefingDraft } from '../support/recordFixture';
import { expect, expectReceiving, join, type MeetingPoint, openMeetingPoint, startSfuProcess, test } from './fixtures';

let points: MeetingPoint[] = [];
test.afterEach(async () => {
  await Promise.all(points.map((p) => p.close()));
  points = [];
});

test('an invitation pasted once joins straight into the right seat, even after looking at other tabs', async ({ browser }) => {
  const sfu = await startSfuProcess();
  const province = await openMeetingPoint(browser, 'UBND tỉnh Thử Nghiệm');
  const commune = await openMeetingPoint(browser, 'Xã Tân Lập');
  points = [province, commune];
  try {
    await province.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await province.services.api.saveOrganizerKey({ serverUrl: sfu.url, key: sfu.organizerKey });
    const draft = briefingDraft({ code: 'giay-moi', title: 'Giao ban trực tuyến tháng 12', hostUnit: 'UBND tỉnh Thử Nghiệm', startsAt: new Date(Date.now() + 3600_000).toISOString(), regular: false, invitedPoints: ['Xã Tân Lập', 'Xã Hòa Bình'] });
    await province.services.api.publishBriefing({ serverUrl: sfu.url, draft });

    const p = province.page;
    await p.setViewportSize({ width: 1366, height: 768 });
    await p.getByRole('tab', { name: 'Chuẩn bị' }).click();
    await p.getByLabel('Địa chỉ máy chủ').fill(sfu.url);
    await p.getByText(/Giao ban trực tuyến tháng 12 — /).click();
    await p.getByRole('button', { name: 'Chép giấy mời của Xã Tân Lập' }).click();
    await expect(p.getByRole('status').filter({ hasText: 'Đã chép giấy mời của Xã Tân Lập' })).toBeVisible();
    const text = await p.evaluate(() => navigator.clipboard.readText());
    expect(text).toContain('giaoban://join?');

    const c = commune.page;
    await c.setViewportSize({ width: 1366, height: 768 });
    await c.getByLabel(/Dán giấy mời/).fill(text);
    await expect(c.getByRole('status').filter({ hasText: 'Đã điền từ giấy mời' })).toBeVisible();
    await c.getByLabel('Tên điểm cầu').fill('UBND xã Tân Lập');
    // The operator looks elsewhere before joining: nothing typed or pasted is lost.
    await c.getByRole('tab', { name: 'Cuộc giao ban sắp tới' }).click();
    await c.getByRole('tab', { name: 'Vào giao ban' }).click();
    await expect(c.getByLabel('Mã mời')).not.toHaveValue('');
    await expect(c.getByLabel('Mã cuộc giao ban')).toHaveValue('giay-moi');
    await c.getByRole('button', { name: 'Vào giao ban' }).click();
    await expect(c.locator('[data-briefing-code="giay-moi"]')).toBeVisible();
    // Into its invited seat, whatever name was typed: the seat its code opens.
    expect((await commune.services.api.inviteForJoining({ briefingCode: 'giay-moi' }))?.seat).toBe('Xã Tân Lập');
  } finally {
    await sfu.stop();
  }
});

test('a giaoban:// link clicked in a mail fills the pre-join screen of the running app, which joins into that seat', async ({ browser }) => {
  const sfu = await startSfuProcess();
  const province = await openMeetingPoint(browser, 'UBND tỉnh Thử Nghiệm');
  const commune = await openMeetingPoint(browser, 'Đặc khu Hòn Ngọc');
  points = [province, commune];
  try {
    await province.services.api.saveOrganizerKey({ serverUrl: sfu.url, key: sfu.organizerKey });
    const draft = briefingDraft({ code: 'lien-ket', title: 'Giao ban tháng 12', hostUnit: 'UBND tỉnh Thử Nghiệm', startsAt: new Date(Date.now() + 3600_000).toISOString(), regular: false, invitedPoints: ['Đặc khu Hòn Ngọc', 'Xã Hòa Bình'] });
    await province.services.api.publishBriefing({ serverUrl: sfu.url, draft });
    const invite = (await province.services.api.listInvites({ briefingCode: 'lien-ket' })).find((i) => i.seat === 'Đặc khu Hòn Ngọc');
    const { caFingerprint } = await province.services.api.invitationServer({ serverUrl: sfu.url });
    const link = invitationLink({ serverUrl: sfu.url, briefingCode: 'lien-ket', inviteCode: invite!.code, caFingerprint });

    const c = commune.page;
    await c.getByRole('tab', { name: 'Cuộc giao ban sắp tới' }).click();
    // What the shell does when the operating system hands the running app a clicked link.
    expect(commune.services.openedWith(['/opt/Giao Ban/giao-ban', link])).toBe(true);
    await c.evaluate(() => window.dispatchEvent(new Event('focus')));
    await expect(c.getByLabel('Mã cuộc giao ban')).toHaveValue('lien-ket');
    await expect(c.getByLabel('Địa chỉ máy chủ')).toHaveValue(sfu.url);
    await expect(c.getByRole('status').filter({ hasText: 'Đã điền từ giấy mời' })).toBeVisible();
    await c.getByLabel('Tên điểm cầu').fill('Hòn Ngọc');
    await c.getByRole('button', { name: 'Vào giao ban' }).click();
    await expect(c.locator('[data-briefing-code="lien-ket"]')).toBeVisible();
    expect((await commune.services.api.inviteForJoining({ briefingCode: 'lien-ket' }))?.seat).toBe('Đặc khu Hòn Ngọc');
  } finally {
    await sfu.stop();
  }
});

test('Join pressed while an old PC is still opening its camera waits for it and joins with it', async ({ browser }) => {
  const sfu = await startSfuProcess();
  const province = await openMeetingPoint(browser, 'UBND tỉnh Thử Nghiệm');
  const commune = await openMeetingPoint(browser, 'Xã Tân Lập');
  points = [province, commune];
  try {
    await province.services.api.saveOrganizerKey({ serverUrl: sfu.url, key: sfu.organizerKey });
    const draft = briefingDraft({ code: 'camera-cham', title: 'Giao ban tháng 12', hostUnit: 'UBND tỉnh Thử Nghiệm', startsAt: new Date(Date.now() + 3600_000).toISOString(), regular: false, invitedPoints: ['Xã Tân Lập'] });
    await province.services.api.publishBriefing({ serverUrl: sfu.url, draft });
    const invite = (await province.services.api.listInvites({ briefingCode: 'camera-cham' })).find((i) => i.seat === 'Xã Tân Lập');
    await join(province, sfu.url, 'camera-cham');

    // A camera that takes seconds to open, as on an old PC with a USB webcam.
    await commune.context.addInitScript(() => {
      const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      navigator.mediaDevices.getUserMedia = async (constraints) => {
        await new Promise((resolve) => setTimeout(resolve, 4000));
        const media = await open(constraints);
        document.documentElement.dataset.cameraOpened = 'yes';
        return media;
      };
    });
    await commune.page.reload();
    const c = commune.page;
    await c.getByLabel('Địa chỉ máy chủ').fill(sfu.url);
    await c.getByLabel('Mã cuộc giao ban').fill('camera-cham');
    await c.getByLabel('Mã mời').fill(invite!.code);
    await c.getByLabel('Tên điểm cầu').fill('Xã Tân Lập');
    await c.getByRole('button', { name: 'Vào giao ban' }).click();
    // Pressed before the camera opened: the app waits, says nothing about a missing camera.
    expect(await c.evaluate(() => document.documentElement.dataset.cameraOpened)).toBeUndefined();
    await expect(c.getByRole('button', { name: 'Đang kết nối…' })).toBeVisible();
    await expect(c.locator('[data-briefing-code="camera-cham"]')).toBeVisible({ timeout: 20_000 });
    await expect(c.getByText('Không tìm thấy camera')).toHaveCount(0);
    await expectReceiving(province, 'Xã Tân Lập');
  } finally {
    await sfu.stop();
  }
});
