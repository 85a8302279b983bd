// First start: the guide asks once what this PC is for and gives that role's steps; a commune's
// PC is not offered hosting; the demo briefing is published on this PC's own server and joined.
import { expect, type MeetingPoint, openMeetingPoint, test } from './fixtures';

let points: MeetingPoint[] = [];
test.afterEach(async () => {
  await Promise.all(points.map((p) => p.close()));
  points = [];
});

test('the first-start guide gives each role its steps, and the demo briefing can be joined on this PC', async ({ browser }) => {
  const pc = await openMeetingPoint(browser, 'Máy mới');
  points = [pc];
  const page = pc.page;
  const guide = page.getByRole('region', { name: 'Bắt đầu' });
  await guide.getByLabel(/Tham dự từ điểm cầu/).check();
  await expect(guide.getByTestId('guide-steps').locator('li')).toHaveCount(3);
  await expect(page.getByRole('button', { name: 'Chủ trì từ máy này' })).toHaveCount(0);
  await guide.getByLabel(/Chủ trì cuộc giao ban của đơn vị/).check();
  await expect(guide.getByTestId('guide-steps').locator('li')).toHaveCount(4);
  await expect(page.getByRole('button', { name: 'Chủ trì từ máy này' })).toBeVisible();
  // The choice is kept: the page opened again remembers it.
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole('region', { name: 'Bắt đầu' }).getByLabel(/Chủ trì cuộc giao ban của đơn vị/)).toBeChecked({ timeout: 1000 });
  }).toPass();

  await page.getByRole('button', { name: 'Thử cuộc giao ban mẫu trên máy này' }).click();
  await expect(page.getByLabel('Mã cuộc giao ban')).toHaveValue('mau-giao-ban-tuan');
  await expect(page.getByLabel('Địa chỉ máy chủ')).toHaveValue(/^ws:\/\/127\.0\.0\.1:\d+$/);
  // The hosting panel is the app's: there on every tab, with the CA to hand out.
  await page.getByRole('tab', { name: 'Tìm kiếm' }).click();
  await page.getByTestId('hosting-panel').getByText('Máy này đang làm máy chủ', { exact: true }).click();
  await expect(page.getByTestId('host-ca')).toContainText('SHA-256');
  await page.getByRole('tab', { name: 'Vào giao ban' }).click();
  await page.getByRole('button', { name: 'Vào giao ban' }).click();
  await expect(page.locator('[data-briefing-code="mau-giao-ban-tuan"]')).toBeVisible();
  // This PC published the demo: it joins as the chair, and the agenda is its to start.
  await page.getByRole('tab', { name: 'Tài liệu' }).click();
  await expect(page.getByRole('button', { name: 'Bắt đầu chương trình' })).toBeVisible();
});
