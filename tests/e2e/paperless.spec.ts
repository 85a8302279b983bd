// A paperless briefing: prepared and published by the district, received ahead by a commune,
// opened offline, then presented in sync during the briefing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makePdf } from '../../main/services/documents/makePdf';
import { expect, join, openMeetingPoint, type MeetingPoint, startSfuProcess, test } from './fixtures';

let points: MeetingPoint[] = [];
test.afterEach(async () => {
  await Promise.all(points.map((p) => p.close()));
  points = [];
});

async function writePdf(dir: string, name: string, pages: number, topic: string): Promise<string> {
  const file = path.join(dir, name);
  const paragraphs = ['Nội dung phục vụ cuộc giao ban trực tuyến của huyện.'];
  fs.writeFileSync(file, await makePdf(Array.from({ length: pages }, (_, i) => ({ heading: `${topic} – trang ${i + 1}`, paragraphs }))));
  return file;
}

function localDateTime(date: Date): string {
  // datetime-local in Vietnam time
  return new Date(date.getTime() + 7 * 3600_000).toISOString().slice(0, 16);
}

async function openPage(point: MeetingPoint, itemTitle: string, docName: string, page: number) {
  const p = point.page;
  await p.getByRole('button', { name: itemTitle }).click();
  await p.getByRole('button', { name: docName }).click();
  const viewer = p.getByTestId('viewer');
  await expect(viewer).toHaveAttribute('data-rendered-page', '1');
  for (let n = 1; n < page; n++) await p.getByRole('button', { name: 'Trang sau' }).click();
  await expect(viewer).toHaveAttribute('data-rendered-page', String(page));
  await expect(p.getByText(`Trang ${page} / `)).toBeVisible();
}

test('publish ahead, open offline, then follow the presenter and the agenda in the briefing', async ({ browser }, testInfo) => {
  const files = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-docs-'));
  const report = await writePdf(files, 'Bao cao tuan 48.pdf', 4, 'Báo cáo tuần');
  const plan = await writePdf(files, 'Ke hoach CDS 2027.pdf', 6, 'Kế hoạch chuyển đổi số');
  let sfu = await startSfuProcess();
  const district = await openMeetingPoint(browser, 'UBND huyện Đồng Tâm');
  const commune = await openMeetingPoint(browser, 'Xã Tân Lập');
  points = [district, commune];
  try {
    // The district secretary prepares and publishes.
    for (const point of points) await point.page.getByLabel('Địa chỉ máy chủ').fill(sfu.url);
    const d = district.page;
    await d.getByRole('tab', { name: 'Chuẩn bị' }).click();
    // The demo briefing opens as the latest draft; start a new one.
    await expect(d.getByLabel('Mã cuộc giao ban')).toHaveValue('mau-giao-ban-tuan');
    await d.getByRole('button', { name: 'Cuộc giao ban mới' }).click();
    await d.getByLabel('Mã cuộc giao ban').fill('giaoban-tuan-48');
    await d.getByLabel('Tên cuộc giao ban').fill('Giao ban trực tuyến tuần 48');
    await d.getByLabel('Cơ quan chủ trì').fill('UBND huyện Đồng Tâm');
    await d.getByLabel('Người chủ trì').fill('Chủ tịch UBND huyện');
    await d.getByLabel('Thư ký').fill('Chánh Văn phòng');
    await d.getByLabel('Địa điểm').fill('Phòng họp trực tuyến huyện');
    await d.getByLabel('Thời gian bắt đầu').fill(localDateTime(new Date(Date.now() + 7 * 24 * 3600_000)));
    await d.getByLabel('Điểm cầu được mời').fill('Xã Tân Lập\nXã Hòa Bình');
    const items = [
      ['Kết quả công tác tuần', 'Văn phòng', report],
      ['Kế hoạch chuyển đổi số năm 2027', 'Phòng Văn hóa và Thông tin', plan],
      ['Ý kiến các xã', 'Các điểm cầu', null],
    ] as const;
    for (const [index, [title, presenter, file]] of items.entries()) {
      if (index > 0) await d.getByRole('button', { name: 'Thêm mục' }).click();
      const item = d.getByTestId('agenda-item').nth(index);
      await item.getByLabel('Nội dung').fill(title);
      await item.getByLabel('Người trình bày').fill(presenter);
      if (file) {
        await item.getByLabel('Thêm tài liệu').setInputFiles(file);
        await expect(item.getByText(path.basename(file))).toBeVisible();
      }
    }
    // Bad documents get a clear message and change nothing.
    const first = d.getByTestId('agenda-item').first();
    const fake = path.join(files, 'Gia mao.pdf');
    fs.writeFileSync(fake, 'this is a text file renamed to .pdf');
    await first.getByLabel('Thêm tài liệu').setInputFiles(fake);
    await expect(d.getByRole('alert')).toContainText('nội dung tệp này không khớp với phần mở rộng');
    await first.getByLabel('Thêm tài liệu').setInputFiles(report);
    await expect(d.getByRole('alert')).toContainText('đã có trong mục này');
    await expect(first.getByText('Bao cao tuan 48.pdf')).toHaveCount(1);

    // Publishing needs the host unit's organizer key, issued on the server's console.
    await d.getByRole('button', { name: 'Công bố tới các điểm cầu' }).click();
    await expect(d.getByRole('alert')).toContainText('Chưa có khóa đơn vị chủ trì');
    await d.getByLabel('Khóa đơn vị chủ trì').fill('GBTC-SAI0-SAI0-SAI0');
    await d.getByRole('button', { name: 'Lưu khóa' }).click();
    await expect(d.getByRole('alert')).toContainText('Khóa hoặc mã không đúng');
    await d.getByLabel('Khóa đơn vị chủ trì').fill(sfu.organizerKey);
    await d.getByRole('button', { name: 'Lưu khóa' }).click();
    await expect(d.getByText('Công bố với tư cách: UBND thử nghiệm')).toBeVisible();
    await d.getByRole('button', { name: 'Công bố tới các điểm cầu' }).click();
    await expect(d.getByRole('status')).toContainText('Đã công bố phiên bản 1');
    // The district sends each commune its invite code; this one reads it from the list.
    const invite = (await d.locator('[data-invite-seat="Xã Tân Lập"] [data-testid="invite-code"]').textContent())!;
    expect(invite).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    // The result is in view, not below the fold; the copied list says it was copied.
    await expect(d.getByRole('status').filter({ hasText: 'Đã công bố phiên bản 1' })).toBeInViewport();
    // The codes are still there after the app is opened again, without publishing anew.
    await d.reload();
    await d.getByRole('tab', { name: 'Chuẩn bị' }).click();
    await d.getByText(/Giao ban trực tuyến tuần 48 — .*\(giaoban-tuan-48\)/).click();
    await expect(d.locator('[data-invite-seat="Xã Tân Lập"] [data-testid="invite-code"]')).toHaveText(invite);

    // The commune receives it ahead with its code, and is ready.
    const c = commune.page;
    await c.getByLabel('Tên điểm cầu').fill('Xã Tân Lập');
    await c.getByRole('tab', { name: 'Cuộc giao ban sắp tới' }).click();
    await c.getByLabel('Mã mời của điểm cầu').fill('SAI0-SAI0-SAI0-SAI0-SAI0');
    await c.getByRole('button', { name: 'Nhận trước' }).click();
    await expect(c.getByRole('alert')).toContainText('Mã mời không đúng');
    await c.getByLabel('Mã mời của điểm cầu').fill(invite);
    await c.getByRole('button', { name: 'Nhận trước' }).click();
    await expect(c.getByRole('status').filter({ hasText: 'Đã nhận mã mời' })).toContainText('Xã Tân Lập');
    const card = c.getByTestId('briefing-card').filter({ hasText: 'giaoban-tuan-48' });
    await expect(card).toContainText('Sẵn sàng', { timeout: 20_000 });

    // The server goes away: everything still opens from the commune's disk.
    await sfu.stop();
    await card.getByRole('button').click();
    await openPage(commune, 'Kết quả công tác tuần', 'Bao cao tuan 48.pdf', 3);
    await openPage(commune, 'Kế hoạch chuyển đổi số năm 2027', 'Ke hoach CDS 2027.pdf', 3);
    await c.getByRole('button', { name: /Danh sách/ }).click();

    // The server is back; the briefing runs.
    sfu = await startSfuProcess({ port: sfu.port, dataDir: sfu.dataDir });
    for (const point of points) {
      await point.page.getByRole('tab', { name: 'Vào giao ban' }).click();
      await join(point, sfu.url, 'giaoban-tuan-48', point === commune ? invite : undefined);
    }
    await d.getByRole('button', { name: 'Bắt đầu chương trình' }).click();
    await d.getByRole('button', { name: 'Chuyển sang mục tiếp theo' }).click();
    for (const point of points) {
      await expect(point.page.locator('.agenda li[aria-current="step"]')).toContainText('Kế hoạch chuyển đổi số năm 2027');
    }

    // The district presents the plan; the commune follows page by page.
    await d.getByRole('button', { name: 'Ke hoach CDS 2027.pdf' }).click();
    await d.getByRole('button', { name: 'Trình bày tài liệu này' }).click();
    const communeViewer = c.getByTestId('viewer');
    await expect(communeViewer).toHaveAttribute('data-rendered-page', '1');
    for (let n = 1; n < 4; n++) await d.getByRole('button', { name: 'Trang sau' }).click();
    await expect(communeViewer).toHaveAttribute('data-rendered-page', '4');
    const turned = Date.now();
    await d.getByRole('button', { name: 'Trang sau' }).click();
    // How fast is the bench's to say (bytes per page turn); here, that the commune follows at all.
    await expect(communeViewer).toHaveAttribute('data-rendered-page', '5');
    testInfo.annotations.push({ type: 'page follow', description: `${Date.now() - turned} ms from click to rendered page` });

    // The commune looks back on its own; the presenter goes on; one button brings it back.
    await c.getByRole('button', { name: 'Trang trước' }).click();
    await expect(communeViewer).toHaveAttribute('data-rendered-page', '4');
    await d.getByRole('button', { name: 'Trang sau' }).click();
    await expect(d.getByTestId('viewer')).toHaveAttribute('data-rendered-page', '6');
    await expect(communeViewer).toHaveAttribute('data-page', '4');
    await c.getByRole('button', { name: 'Về trang người trình bày' }).click();
    await expect(communeViewer).toHaveAttribute('data-rendered-page', '6');
    const shot = testInfo.outputPath('paperless-briefing.png');
    await c.screenshot({ path: shot });
    await testInfo.attach('commune following the presenter', { path: shot, contentType: 'image/png' });
  } finally {
    await sfu.stop();
  }
});
