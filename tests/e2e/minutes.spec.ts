// The secretary writes the minutes during a briefing; attendance comes from who joined; they are
// exported, signed by the secretary then countersigned by the chair (certificate files) and
// issued; the commune that attended receives them with both signatures checked. The app, restarted, reopens where the secretary was.
import { execFileSync } from 'node:child_process';
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

const code = 'giaoban-bien-ban';

test('minutes written in the briefing are exported, signed and received by the commune that attended', async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const files = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-minutes-e2e-'));
  const [secretary, chair] = certificatesOfOneCa(['Trần Thị Hương', 'Nguyễn Văn Thắng']);
  const p12 = path.join(files, 'chu-toa.p12');
  fs.writeFileSync(p12, chair.p12);
  const secretaryP12 = path.join(files, 'thu-ky.p12');
  fs.writeFileSync(secretaryP12, secretary.p12);
  const sfu = await startSfuProcess();
  const district = await openMeetingPoint(browser, 'UBND huyện Đồng Tâm');
  const commune = await openMeetingPoint(browser, 'Xã Tân Lập');
  points = [district, commune];
  try {
    const draft = briefingDraft({
      code,
      title: 'Giao ban trực tuyến tuần 48',
      hostUnit: 'UBND huyện Đồng Tâm',
      startsAt: new Date(Date.now() - 5 * 60_000).toISOString(),
      place: 'Phòng họp trực tuyến UBND huyện',
      regular: false,
      invitedPoints: ['Xã Tân Lập', 'Xã Hòa Bình'],
    });
    await district.services.api.saveOrganizerKey({ serverUrl: sfu.url, key: sfu.organizerKey });
    await district.services.api.publishBriefing({ serverUrl: sfu.url, draft });
    const invites = await district.services.api.listInvites({ briefingCode: code });
    await commune.services.api.syncBriefings({ serverUrl: sfu.url, inviteCode: invites.find((i) => i.seat === 'Xã Tân Lập')!.code });
    await join(district, sfu.url, code);
    await join(commune, sfu.url, code, invites.find((i) => i.seat === 'Xã Tân Lập')!.code);

    const d = district.page;
    const agendaButton = async (name: string) => {
      await d.getByRole('tab', { name: 'Tài liệu' }).click();
      await d.getByRole('button', { name }).click();
      await d.getByRole('tab', { name: 'Biên bản' }).click();
    };
    await agendaButton('Bắt đầu chương trình');
    const minutes = d.getByRole('region', { name: 'Biên bản cuộc họp' });
    await minutes.getByLabel('Diễn biến').fill('Trưởng phòng Tài chính báo cáo tỷ lệ giải ngân đạt sáu mươi tám phần trăm.');
    await minutes.getByRole('button', { name: 'Thêm phân công' }).click();
    const assignment = minutes.locator('[data-rows="assignments"] .minutes-row').first();
    await assignment.getByLabel('Đơn vị').fill('Phòng Tài chính – Kế hoạch');
    await assignment.getByLabel('Nhiệm vụ').fill('Tổng hợp nhu cầu điều chỉnh vốn');
    await assignment.getByLabel('Thời hạn').fill('2026-12-05');
    await minutes.getByLabel('Kết luận của chủ tọa').fill('Giao các xã đẩy nhanh tiến độ thi công.');

    await agendaButton('Chuyển sang mục tiếp theo');
    await expect(minutes.getByRole('tab', { name: /^2\. Phòng chống lũ quét/ })).toHaveAttribute('aria-selected', 'true');
    await minutes.getByLabel('Diễn biến').fill('Ban Chỉ huy quân sự trình bày phương án sơ tán dân vùng trũng.');
    await minutes.getByLabel('Kết luận của chủ tọa').fill('Các xã kiểm tra lực lượng xung kích, sẵn sàng ứng phó mưa lũ');

    // Attendance from who joined: the commune online, the district in its room, Hòa Bình absent.
    await expect(minutes.locator('[data-point="Xã Tân Lập"]')).toHaveAttribute('data-status', 'online', { timeout: 15_000 });
    await expect(minutes.locator('[data-point="UBND huyện Đồng Tâm"]')).toHaveAttribute('data-status', 'in_room');
    await expect(minutes.locator('[data-point="Xã Hòa Bình"]')).toHaveAttribute('data-status', 'absent');
    await minutes.locator('[data-point="Xã Hòa Bình"]').getByLabel('Lý do vắng mặt').fill('Mất điện lưới');
    await expect(d.getByTestId('minutes-status')).toHaveAttribute('data-status', 'saved');

    // Export both formats: the browser-tab mode writes them to the PC's Documents folder.
    const exportDir = district.exportsDir;
    const actions = d.getByRole('region', { name: 'Xuất, ký số và gửi' });
    await expect(actions).toContainText(exportDir);
    await actions.getByRole('button', { name: 'Xuất DOCX' }).click();
    await expect(actions.getByRole('status')).toContainText('.docx');
    await actions.getByRole('button', { name: 'Xuất PDF' }).click();
    await expect(actions.getByRole('status')).toContainText('.pdf');
    const text = execFileSync('pdftotext', [path.join(exportDir, `bien-ban-${code}.pdf`), '-']).toString().replace(/\s+/g, ' ');
    for (const phrase of ['sáu mươi tám phần trăm', 'phương án sơ tán dân vùng trũng', 'Xã Hòa Bình, vắng mặt (lý do: Mất điện lưới)', 'Xã Tân Lập, dự trực tuyến']) {
      expect(text).toContain(phrase);
    }
    expect(fs.statSync(path.join(exportDir, `bien-ban-${code}.docx`)).size).toBeGreaterThan(3000);

    // The secretary signs first with her certificate file: a wrong password first.
    await expect(actions.getByRole('radio', { name: 'Thư ký' })).toBeChecked();
    await actions.getByLabel('Tệp chứng thư số').setInputFiles(secretaryP12);
    await actions.getByLabel('Mật khẩu tệp chứng thư').fill('sai-mat-khau');
    await actions.getByRole('button', { name: 'Ký số' }).click();
    await expect(actions.getByRole('alert')).toContainText('Sai mã PIN hoặc mật khẩu');
    await actions.getByLabel('Mật khẩu tệp chứng thư').fill(secretary.password);
    await actions.getByRole('button', { name: 'Ký số' }).click();
    await expect(actions.getByRole('status')).toContainText('Thư ký Trần Thị Hương đã ký');
    // Not sent on the secretary's signature alone.
    await expect(actions.getByRole('button', { name: 'Gửi tới các điểm cầu đã dự họp' })).toHaveCount(0);
    // The chair countersigns on the same PC with his own certificate.
    await actions.getByRole('radio', { name: 'Chủ tọa' }).check();
    await actions.getByLabel('Tệp chứng thư số').setInputFiles(p12);
    await actions.getByLabel('Mật khẩu tệp chứng thư').fill(chair.password);
    await actions.getByRole('button', { name: 'Ký số' }).click();
    await expect(actions.getByRole('status')).toContainText('Đã ký số: Nguyễn Văn Thắng');
    await actions.getByRole('button', { name: 'Gửi tới các điểm cầu đã dự họp' }).click();
    await expect(actions.getByRole('status')).toContainText('Xã Tân Lập');
    await expect(actions.getByRole('status')).not.toContainText('Xã Hòa Bình');

    // The commune, in the briefing, fetches it at once; after leaving it is in its records.
    const c = commune.page;
    await leaveBriefing(commune);
    await c.getByRole('tab', { name: 'Biên bản' }).click();
    const received = c.locator('.record-list li[data-kind="minutes"][data-origin="received"]');
    // No CA is trusted on the commune's PC yet: the signature matches, the signer is not trusted.
    await expect(received.getByTestId('signature-untrusted')).toHaveCount(2, { timeout: 20_000 });
    await expect(received.getByTestId('signature-untrusted').first()).toContainText('KHÔNG TIN CẬY');
    // Its administrator imports the CA that issues the province's certificates.
    const caFile = path.join(files, 'ca-thu-nghiem.pem');
    fs.writeFileSync(caFile, chair.caPem);
    await c.getByText(/Tổ chức chứng thực được tin cậy/).click();
    await c.getByLabel('Nhập chứng thư tổ chức chứng thực').setInputFiles(caFile);
    await expect(received.locator('[data-role="secretary"]').getByTestId('signature-valid')).toContainText('Chữ ký hợp lệ, người ký được tin cậy — Trần Thị Hương');
    await expect(received.locator('[data-role="chair"]').getByTestId('signature-valid')).toContainText('Chữ ký hợp lệ, người ký được tin cậy — Nguyễn Văn Thắng');
    await expect(received).toContainText('CA thử nghiệm Giao Ban');
    await c.screenshot({ path: testInfo.outputPath('commune-records.png'), fullPage: true });

    // The district PC restarts (the page reloads): the minutes reopen where the secretary was.
    await d.reload();
    await d.getByRole('tab', { name: 'Biên bản' }).click();
    const reopened = d.getByRole('region', { name: 'Biên bản cuộc họp' });
    await expect(reopened.getByRole('tab', { name: /^2\. Phòng chống lũ quét/ })).toHaveAttribute('aria-selected', 'true');
    await expect(reopened.getByLabel('Kết luận của chủ tọa')).toBeFocused();
    await expect(reopened.getByLabel('Kết luận của chủ tọa')).toHaveValue('Các xã kiểm tra lực lượng xung kích, sẵn sàng ứng phó mưa lũ');
    await d.screenshot({ path: testInfo.outputPath('district-minutes.png'), fullPage: true });
  } finally {
    await sfu.stop();
    fs.rmSync(files, { recursive: true, force: true });
  }
});
