// The weekly briefing without handing out codes each week: the province imports its directory in
// Chuẩn bị, invites a group in one click, enrols every point and prints the sheet; a commune enters
// its enrolment code once; the next briefing arrives at the commune by itself and it joins into
// its seat with nothing typed but its name.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, type MeetingPoint, openMeetingPoint, startSfuProcess, test } from './fixtures';

let points: MeetingPoint[] = [];
test.afterEach(async () => {
  await Promise.all(points.map((p) => p.close()));
  points = [];
});

const DIRECTORY = ['Tên điểm cầu,Nhóm', 'UBND xã Tân Lập,Xã', 'UBND xã Hòa Bình,Xã', 'UBND phường Đông Hải,Phường', 'Sở Nội vụ,Sở, ngành'].join('\n');

test('a directory imported once, enrolled once: the next briefing reaches the commune by itself', async ({ browser }) => {
  const sfu = await startSfuProcess();
  const province = await openMeetingPoint(browser, 'UBND tỉnh Bình Nguyên');
  const commune = await openMeetingPoint(browser, 'UBND xã Hòa Bình');
  points = [province, commune];
  try {
    await province.services.api.saveOrganizerKey({ serverUrl: sfu.url, key: sfu.organizerKey });
    const p = province.page;
    await p.setViewportSize({ width: 1366, height: 768 });
    await p.getByRole('tab', { name: 'Chuẩn bị' }).click();
    await p.getByLabel('Địa chỉ máy chủ').fill(sfu.url);
    await p.getByRole('button', { name: 'Cuộc giao ban mới' }).click();
    const directory = p.getByRole('region', { name: 'Danh bạ điểm cầu' });
    // A list with a bad row is refused whole, the row named.
    await directory.getByLabel(/Nhập danh sách điểm cầu/).setInputFiles({ name: 'sai.csv', mimeType: 'text/csv', buffer: Buffer.from(`${DIRECTORY}\n,Xã`) });
    await expect(directory.getByRole('alert')).toContainText('Dòng 6: thiếu tên điểm cầu.');
    await directory.getByLabel(/Nhập danh sách điểm cầu/).setInputFiles({ name: 'diem-cau.csv', mimeType: 'text/csv', buffer: Buffer.from(DIRECTORY) });
    await expect(directory.getByRole('status')).toContainText('Đã nhập: 4 điểm cầu mới');
    await directory.getByRole('button', { name: 'Mời nhóm Xã (2)' }).click();
    await expect(p.getByLabel(/Điểm cầu được mời/)).toHaveValue('UBND xã Hòa Bình\nUBND xã Tân Lập');

    // Every point enrolled in one click; the sheet printed with every code.
    await directory.getByRole('button', { name: 'Cấp mã đăng ký cho 4 điểm cầu chưa có mã' }).click();
    await expect(directory.getByTestId('enrolled-count')).toHaveText('Đã cấp mã đăng ký: 4/4 điểm cầu');
    await directory.getByRole('button', { name: 'In phiếu mã đăng ký (PDF)' }).click();
    await expect(directory.getByRole('status')).toContainText('Đã lưu 4 mã');
    const sheet = path.join(province.exportsDir, 'Ma dang ky diem cau.pdf');
    const text = execFileSync('pdftotext', [sheet, '-']).toString();
    const code = new RegExp('UBND xã Hòa Bình[\\s\\S]*?Mã đăng ký: (GBDC-[0-9A-Z-]+)').exec(text)?.[1];
    expect(code).toBeTruthy();
    expect(text.match(/GBDC-/g)).toHaveLength(4);

    // The commune enters its code once, before any briefing exists.
    const c = commune.page;
    await c.getByLabel('Địa chỉ máy chủ').fill(sfu.url);
    await c.getByRole('tab', { name: 'Cuộc giao ban sắp tới' }).click();
    await c.getByLabel('Mã mời của điểm cầu').fill(code!);
    await c.getByRole('button', { name: 'Nhận trước' }).click();
    await expect(c.getByRole('status').filter({ hasText: 'Đã đăng ký điểm cầu UBND xã Hòa Bình với UBND thử nghiệm' })).toBeVisible();

    // The province publishes this week's briefing for the group it invited: no code is sent.
    await p.getByLabel('Tên cuộc giao ban').fill('Giao ban tuần 50 với các xã');
    await p.getByLabel('Cơ quan chủ trì').fill('UBND tỉnh Bình Nguyên');
    await p.getByLabel('Người chủ trì').fill('Chủ tịch UBND tỉnh');
    await p.getByLabel('Thư ký').fill('Chánh Văn phòng UBND tỉnh');
    await p.getByLabel('Địa điểm').fill('Phòng họp trực tuyến UBND tỉnh');
    await p.getByLabel('Nội dung').first().fill('Tình hình tuần và nhiệm vụ tuần tới');
    await p.getByLabel(/Thời gian bắt đầu/).fill(new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 16));
    await p.getByRole('button', { name: 'Công bố tới các điểm cầu' }).click();
    await expect(p.getByText(/Đã công bố/)).toBeVisible();
    const briefingCode = await p.getByLabel('Mã cuộc giao ban', { exact: true }).inputValue();

    // At the commune it arrives with the next sync, and joining needs only the point's name.
    await c.getByRole('button', { name: 'Đồng bộ ngay' }).click();
    await expect(c.locator(`[data-testid="briefing-card"][data-code="${briefingCode}"]`)).toBeVisible();
    await c.getByRole('tab', { name: 'Vào giao ban' }).click();
    await c.getByLabel('Mã cuộc giao ban').fill(briefingCode);
    await expect(c.getByLabel('Mã mời')).not.toHaveValue('');
    await c.getByLabel('Tên điểm cầu').fill('Xã Hòa Bình');
    await c.getByRole('button', { name: 'Vào giao ban' }).click();
    await expect(c.locator(`[data-briefing-code="${briefingCode}"]`)).toBeVisible();
    expect((await commune.services.api.inviteForJoining({ briefingCode }))?.seat).toBe('UBND xã Hòa Bình');
    expect(fs.existsSync(sheet)).toBe(true);
  } finally {
    await sfu.stop();
  }
});
