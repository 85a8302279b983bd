// What needs an answer reaches the chair and the communes whatever panel they have open: the
// chair reading documents sees a request to speak and grants it from the notice bar; the commune
// reading documents sees it has the floor, and answers the roll call from the bar. A commune is
// not shown the chair's controls.
import { briefingDraft } from '../support/recordFixture';
import { expect, join, type MeetingPoint, openMeetingPoint, startSfuProcess, test } from './fixtures';

let points: MeetingPoint[] = [];
test.afterEach(async () => {
  await Promise.all(points.map((p) => p.close()));
  points = [];
});

const code = 'giaoban-thong-bao';

test('the chair on the documents panel grants a request from the notice bar; the commune sees the floor and the roll call there', async ({ browser }) => {
  test.setTimeout(120_000);
  const sfu = await startSfuProcess();
  const district = await openMeetingPoint(browser, 'UBND huyện Đồng Tâm');
  const commune = await openMeetingPoint(browser, 'Xã Tân Lập');
  points = [district, commune];
  try {
    const draft = briefingDraft({ code, hostUnit: 'UBND huyện Đồng Tâm', startsAt: new Date(Date.now() - 60_000).toISOString(), invitedPoints: ['Xã Tân Lập'] });
    await district.services.api.saveOrganizerKey({ serverUrl: sfu.url, key: sfu.organizerKey });
    await district.services.api.publishBriefing({ serverUrl: sfu.url, draft });
    const invite = (await district.services.api.listInvites({ briefingCode: code })).find((i) => i.seat === 'Xã Tân Lập')!.code;
    await commune.services.api.syncBriefings({ serverUrl: sfu.url, inviteCode: invite });
    await join(district, sfu.url, code);
    await join(commune, sfu.url, code, invite);
    const chair = district.page;
    const point = commune.page;
    // Both read documents; the chairing panel is another tab.
    await expect(chair.getByRole('tab', { name: /Tài liệu/ })).toHaveAttribute('aria-selected', 'true');
    await expect(point.getByRole('tab', { name: /Tài liệu/ })).toHaveAttribute('aria-selected', 'true');
    // Each role sees what it can do: the agenda is the chair's to move, signing is not the commune's.
    await expect(chair.getByRole('button', { name: 'Bắt đầu chương trình' })).toBeVisible();
    await expect(point.getByRole('button', { name: 'Bắt đầu chương trình' })).toHaveCount(0);
    await point.getByRole('tab', { name: 'Biên bản' }).click();
    await expect(point.getByRole('region', { name: 'Biên bản cuộc họp' })).toBeVisible();
    await expect(point.getByRole('region', { name: 'Xuất, ký số và gửi' })).toHaveCount(0);
    await chair.getByRole('tab', { name: 'Biên bản' }).click();
    await expect(chair.getByRole('region', { name: 'Xuất, ký số và gửi' })).toBeVisible();
    await chair.getByRole('tab', { name: /Tài liệu/ }).click();
    await point.getByRole('tab', { name: /Tài liệu/ }).click();

    // The commune asks to speak, then goes back to its documents.
    await point.getByRole('tab', { name: /Điều hành/ }).click();
    await point.getByRole('button', { name: 'Đăng ký phát biểu' }).click();
    await point.getByRole('tab', { name: /Tài liệu/ }).click();

    // The chair, still on documents, sees it above the video (and a badge on the tab), and grants it there.
    const chairBar = chair.getByRole('status', { name: 'Thông báo' });
    await expect(chairBar).toContainText('Xin phát biểu: Xã Tân Lập');
    await expect(chair.getByRole('tab', { name: /Điều hành/ }).locator('.badge')).toHaveText('1');
    await chairBar.getByRole('button', { name: 'Cho Xã Tân Lập phát biểu' }).click();
    await expect(chairBar).toHaveCount(0);

    // The commune, on documents, is told it has the floor.
    const pointBar = point.getByRole('status', { name: 'Thông báo' });
    await expect(pointBar).toContainText('Điểm cầu của bạn đang được phát biểu');

    // The chair starts a roll call from its panel; the commune answers from the bar.
    await chair.getByRole('tab', { name: /Điều hành/ }).click();
    await chair.getByRole('button', { name: 'Bắt đầu điểm danh' }).click();
    await expect(pointBar).toContainText('Chủ tọa đang điểm danh');
    await pointBar.getByRole('button', { name: 'Báo có mặt' }).click();
    await expect(chair.locator('.roll-call tr[data-seat="Xã Tân Lập"]')).toHaveAttribute('data-answered', 'yes');
    await expect(pointBar).not.toContainText('điểm danh');

    // The chair ends the briefing, asked once more; the commune is told when, and leaves in one click.
    await chair.getByRole('button', { name: 'Kết thúc cuộc giao ban' }).click();
    await chair.getByRole('alertdialog').getByRole('button', { name: 'Kết thúc', exact: true }).click();
    await expect(point.getByTestId('briefing-ended')).toContainText(/Cuộc giao ban đã kết thúc lúc \d\d:\d\d/);
    await expect(chair.getByTestId('briefing-ended')).toBeVisible();
    await point.getByRole('button', { name: 'Rời cuộc giao ban' }).click();
    await expect(point.getByRole('button', { name: 'Vào giao ban' })).toBeVisible();
  } finally {
    await sfu.stop();
  }
});
