// Every screen at 1366×768, the usual commune PC: an accessibility check (axe) finds no serious or
// critical violation, and a screenshot of each is kept with the test's artifacts. In the
// briefing, the document page is in view beside the video, not below the fold.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { makePdf } from '../../main/services/documents/makePdf';
import { briefingDraft } from '../support/recordFixture';
import { expect, join, type MeetingPoint, openMeetingPoint, startSfuProcess, test } from './fixtures';

let points: MeetingPoint[] = [];
test.afterEach(async () => {
  await Promise.all(points.map((p) => p.close()));
  points = [];
});

async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
}

test('each screen at 1366×768 passes an accessibility check and keeps what a task needs in view', async ({ browser }, testInfo) => {
  test.setTimeout(150_000);
  const sfu = await startSfuProcess();
  const province = await openMeetingPoint(browser, 'UBND tỉnh Thử Nghiệm');
  points = [province];
  const page = province.page;
  await page.setViewportSize({ width: 1366, height: 768 });
  try {
    const screens = [
      ['Vào giao ban', 'join'],
      ['Cuộc giao ban sắp tới', 'briefings'],
      ['Chuẩn bị', 'prepare'],
      ['Biên bản', 'records'],
      ['Việc cần theo dõi', 'follow-up'],
      ['Tìm kiếm', 'search'],
    ] as const;
    for (const [tab, name] of screens) {
      const tabButton = page.getByRole('tab', { name: new RegExp(`^${tab}`) });
      await tabButton.click();
      await expect(tabButton).toHaveAttribute('aria-selected', 'true');
      await expect(page.locator('main')).toBeVisible();
      await page.screenshot({ path: testInfo.outputPath(`screen-${name}.png`) });
      expect(await seriousViolations(page), name).toEqual([]);
    }

    // The briefing screen, with a document on the current item.
    const report = await makePdf([{ heading: 'Báo cáo kết quả công tác tuần', paragraphs: ['Nội dung báo cáo của Văn phòng UBND tỉnh.'] }]);
    const { ref } = await province.services.api.importDocument({ name: 'Bao cao tuan.pdf', dataBase64: report.toString('base64') });
    await province.services.api.saveOrganizerKey({ serverUrl: sfu.url, key: sfu.organizerKey });
    const base = briefingDraft();
    const draft = briefingDraft({ code: 'man-hinh', hostUnit: 'UBND tỉnh Thử Nghiệm', startsAt: new Date(Date.now() + 3600_000).toISOString(), regular: false, agenda: [{ ...base.agenda[0], documents: [ref] }, ...base.agenda.slice(1)] });
    await province.services.api.publishBriefing({ serverUrl: sfu.url, draft });
    await page.getByRole('tab', { name: 'Vào giao ban' }).click();
    await join(province, sfu.url, 'man-hinh');
    await page.getByRole('tab', { name: 'Tài liệu' }).click();
    await page.getByRole('button', { name: 'Bao cao tuan.pdf' }).click();
    const canvas = page.locator('canvas.viewer-canvas');
    await expect(canvas).toBeInViewport();
    // Fitted to the panel's width once the page is drawn, and its top in the upper half of the screen.
    await expect.poll(async () => (await canvas.boundingBox())?.width ?? 0).toBeGreaterThan(450);
    expect((await canvas.boundingBox())!.y).toBeLessThan(768 / 2);
    await page.screenshot({ path: testInfo.outputPath('screen-briefing.png') });
    expect(await seriousViolations(page), 'briefing').toEqual([]);
  } finally {
    await sfu.stop();
  }
});
