// What one briefing of a series assigns, the next one reviews: the minutes with two assignments
// are signed and issued; the assignee commune reports one done from its follow-up tab; the
// province drafts the next briefing of the series in one click, and it opens with the review
// item (one done, one late) at the province and at the commune.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { certificatesOfOneCa } from '../support/pki';
import { briefingDraft } from '../support/recordFixture';
import { expect, join, type MeetingPoint, openMeetingPoint, startSfuProcess, test, leaveBriefing } from './fixtures';

let points: MeetingPoint[] = [];
test.afterEach(async () => {
  await Promise.all(points.map((p) => p.close()));
  points = [];
});

const code = 'giaoban-tinh-tuan-1';
const series = 'Giao ban tuần UBND tỉnh';
/** A day relative to today (the test must not depend on the date it runs). */
const dayFromNow = (days: number) => new Date(Date.now() + 7 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);

test('assignments signed in one briefing are reported on and reviewed at the next one of the series', async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const files = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-follow-up-e2e-'));
  const [secretary, chair] = certificatesOfOneCa(['Trần Thị Hương', 'Nguyễn Văn Thắng']);
  const keyFile = (name: string, p12: Buffer) => {
    const file = path.join(files, name);
    fs.writeFileSync(file, p12);
    return file;
  };
  const report = path.join(files, 'bao-cao-giai-ngan.pdf');
  fs.writeFileSync(report, '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
  const sfu = await startSfuProcess();
  const province = await openMeetingPoint(browser, 'UBND tỉnh Thử Nghiệm');
  const commune = await openMeetingPoint(browser, 'Xã Tân Lập');
  points = [province, commune];
  try {
    await province.services.api.saveOrganizerKey({ serverUrl: sfu.url, key: sfu.organizerKey });
    await province.services.api.publishBriefing({
      serverUrl: sfu.url,
      draft: briefingDraft({
        code,
        title: 'Giao ban trực tuyến tuần 1',
        hostUnit: 'UBND tỉnh Thử Nghiệm',
        startsAt: new Date(Date.now() - 5 * 60_000).toISOString(),
        regular: false,
        series,
        invitedPoints: ['Xã Tân Lập', 'Xã Hòa Bình'],
      }),
    });
    const inviteOf = async (briefingCode: string) => (await province.services.api.listInvites({ briefingCode })).find((i) => i.seat === 'Xã Tân Lập')!.code;
    await join(province, sfu.url, code);
    await join(commune, sfu.url, code, await inviteOf(code));

    // The secretary's minutes: two assignments, one due in ten days, one ten days ago.
    const p = province.page;
    await p.getByRole('tab', { name: 'Tài liệu' }).click();
    await p.getByRole('button', { name: 'Bắt đầu chương trình' }).click();
    await p.getByRole('tab', { name: 'Biên bản' }).click();
    const minutes = p.getByRole('region', { name: 'Biên bản cuộc họp' });
    await minutes.getByLabel('Diễn biến').fill('Các xã báo cáo tiến độ giải ngân.');
    for (const [unit, task, deadline] of [
      ['Xã Tân Lập', 'Hoàn thành báo cáo giải ngân', dayFromNow(10)],
      ['Xã Hòa Bình', 'Rà soát danh sách hộ nghèo', dayFromNow(-10)],
    ]) {
      await minutes.getByRole('button', { name: 'Thêm phân công' }).click();
      const row = minutes.locator('[data-rows="assignments"] .minutes-row').last();
      await row.getByLabel('Đơn vị').fill(unit);
      await row.getByLabel('Nhiệm vụ').fill(task);
      await row.getByLabel('Thời hạn').fill(deadline);
    }
    await expect(minutes.locator('[data-point="Xã Tân Lập"]')).toHaveAttribute('data-status', 'online', { timeout: 15_000 });
    await expect(p.getByTestId('minutes-status')).toHaveAttribute('data-status', 'saved');
    const actions = p.getByRole('region', { name: 'Xuất, ký số và gửi' });
    for (const [role, file, who] of [['Thư ký', keyFile('thu-ky.p12', secretary.p12), secretary], ['Chủ tọa', keyFile('chu-toa.p12', chair.p12), chair]] as const) {
      await actions.getByRole('radio', { name: role }).check();
      await actions.getByLabel('Tệp chứng thư số').setInputFiles(file);
      await actions.getByLabel('Mật khẩu tệp chứng thư').fill(who.password);
      await actions.getByRole('button', { name: 'Ký số' }).click();
      await expect(actions.getByRole('status')).toContainText(who === chair ? 'Đã ký số' : 'đã ký');
    }
    await actions.getByRole('button', { name: 'Gửi tới các điểm cầu đã dự họp' }).click();
    await expect(actions.getByRole('status')).toContainText('Xã Tân Lập');

    // The commune reports its assignment done, with the report attached.
    const c = commune.page;
    await leaveBriefing(commune);
    await c.getByRole('tab', { name: /Việc cần theo dõi/ }).click();
    const own = c.getByTestId('assignments').first();
    await expect(own).toContainText('Hoàn thành báo cáo giải ngân');
    await expect(own).not.toContainText('Rà soát danh sách hộ nghèo');
    await own.getByRole('button', { name: 'Báo cáo tiến độ' }).click();
    const form = c.getByRole('form', { name: /Báo cáo tiến độ: Hoàn thành báo cáo giải ngân/ });
    await form.getByLabel('Tóm tắt kết quả').fill('Đã gửi báo cáo giải ngân quý IV');
    await form.getByLabel('Đã hoàn thành').check();
    await form.getByLabel(/Đính kèm văn bản/).setInputFiles(report);
    await form.getByRole('button', { name: 'Gửi báo cáo' }).click();
    await expect(c.getByRole('status').filter({ hasText: 'Đã gửi báo cáo' })).toContainText('Hoàn thành báo cáo giải ngân');
    await expect(own.locator('tr[data-state="done"]')).toContainText('bao-cao-giai-ngan.pdf');

    // The province drafts the next briefing of the series from the last, and publishes it.
    await leaveBriefing(province);
    await p.getByRole('tab', { name: 'Chuẩn bị' }).click();
    await p.getByRole('button', { name: `Soạn cuộc tiếp theo của “${series}”` }).click();
    await expect(p.getByLabel('Mã cuộc giao ban')).toHaveValue('giaoban-tinh-tuan-2');
    await expect(p.getByTestId('agenda-item').first()).toContainText('Rà soát kết quả thực hiện kết luận');
    await p.getByRole('button', { name: 'Công bố tới các điểm cầu' }).click();
    await expect(p.getByRole('status').first()).toContainText('Đã công bố phiên bản 1');
    const next = 'giaoban-tinh-tuan-2';

    // Both join it: the review item opens it, at the province and at the commune alike.
    await commune.services.api.syncBriefings({ serverUrl: sfu.url, inviteCode: await inviteOf(next) });
    await p.getByRole('tab', { name: 'Vào giao ban' }).click();
    await join(province, sfu.url, next);
    await c.getByRole('tab', { name: 'Vào giao ban' }).click();
    await join(commune, sfu.url, next, await inviteOf(next));
    for (const [point, page] of [[province, p], [commune, c]] as const) {
      await page.getByRole('tab', { name: 'Tài liệu' }).click();
      const review = page.getByTestId('review');
      await expect(review.getByRole('heading', { name: 'Rà soát kết quả thực hiện kết luận' })).toBeVisible();
      await expect(review.locator('tr[data-state="done"]')).toContainText('Xã Tân Lập');
      await expect(review.locator('tr[data-state="late"]')).toContainText('Xã Hòa Bình');
      await expect(review.locator('tr[data-state="late"]')).toContainText(/Quá hạn \(chậm \d+ ngày làm việc\)/);
      await expect(review.getByRole('img', { name: 'Biểu đồ kết quả thực hiện theo đơn vị' })).toBeVisible();
      await page.screenshot({ path: testInfo.outputPath(`review-${point.name}.png`), fullPage: true });
    }
  } finally {
    await sfu.stop();
    fs.rmSync(files, { recursive: true, force: true });
  }
});
