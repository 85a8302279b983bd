// The link to the server opened while the operator fills the pre-join form, so pressing Join does
// not wait for it. It says nothing of who the point is until Join; a link that dropped meanwhile,
// or one opened for another briefing, is not what the point joins over.
import { publishInvites } from '../support/invitations';
import { districtChairing, expect, expectReceiving, fillPreJoin, type MeetingPoint, openMeetingPoint, test } from './fixtures';
import { watchLinks } from './signalingRoutes';

let points: MeetingPoint[] = [];
test.afterEach(async () => {
  await Promise.all(points.map((p) => p.close()));
  points = [];
});

const joinButton = (point: MeetingPoint) => point.page.getByRole('button', { name: 'Vào giao ban' });
const inBriefing = (point: MeetingPoint, code: string) => point.page.locator(`[data-briefing-code="${code}"]`);

test('the link opened while the form is filled asks nothing of the point, and Join goes over it', async ({ browser, sfu }) => {
  const code = 'giaoban-mo-truoc';
  const { commune, communeInvite } = await districtChairing(browser, sfu, code, points);
  const links = await watchLinks(commune);

  await fillPreJoin(commune, sfu.url, code, communeInvite);
  await expect.poll(() => links().flatMap((l) => l.methods), { message: 'a link opened and the briefing media asked for' }).toContain('getRouterRtpCapabilities');
  // Before Join the server has heard no name, no invite code: only what any page may ask.
  expect(links().flatMap((l) => l.methods).filter((m) => m !== 'getRouterRtpCapabilities' && m !== 'ping')).toEqual([]);

  await joinButton(commune).click();
  await expect(inBriefing(commune, code)).toBeVisible();
  await expectReceiving(commune, 'UBND huyện');
  expect(links(), 'joined over the link opened ahead, no second one').toHaveLength(1);
  expect(links()[0].methods).toContain('join');
});

test('a link opened ahead that dropped before Join: the point still gets in at the first press', async ({ browser, sfu }) => {
  const code = 'giaoban-mat-truoc';
  const { commune, communeInvite } = await districtChairing(browser, sfu, code, points);
  const links = await watchLinks(commune);

  await fillPreJoin(commune, sfu.url, code, communeInvite);
  await expect.poll(() => links().length).toBe(1);
  await expect.poll(() => links()[0].methods).toContain('getRouterRtpCapabilities');
  await links()[0].drop();
  await expect.poll(() => links()[0].closed).toBe(true);

  await joinButton(commune).click();
  await expect(inBriefing(commune, code)).toBeVisible();
  await expectReceiving(commune, 'UBND huyện');
  expect(links().map((l) => l.methods.includes('join'))).toEqual([false, true]);
});

test('the form changed to another briefing after a link was opened: Join enters the briefing named', async ({ browser, sfu }) => {
  const [first, second] = ['giaoban-sang-thu-hai', 'giaoban-chieu-thu-hai'];
  await publishInvites(sfu, first, ['Xã Tân Lập'], { chairSeat: 'UBND huyện' });
  const invites = await publishInvites(sfu, second, ['Xã Tân Lập'], { chairSeat: 'UBND huyện' });
  const commune = await openMeetingPoint(browser, 'Xã Tân Lập');
  points.push(commune);
  const links = await watchLinks(commune);

  await fillPreJoin(commune, sfu.url, first);
  await expect.poll(() => links().length).toBe(1);
  await fillPreJoin(commune, sfu.url, second, invites.points['Xã Tân Lập']);
  // The first link closes once the form names another briefing; the second is for that one.
  await expect.poll(() => links()[0].closed).toBe(true);
  await expect.poll(() => links().length).toBe(2);

  await joinButton(commune).click();
  await expect(inBriefing(commune, second)).toBeVisible();
  expect(links()[0].methods).not.toContain('join');
  expect(links()[1].methods).toContain('join');
});

test('Join pressed as the last field is typed, on a slow server: the point joins over one link, none opened beside it', async ({ browser, sfu }) => {
  const code = 'giaoban-bam-ngay';
  const { commune, communeInvite } = await districtChairing(browser, sfu, code, points);
  // The server's answer to the join, and all after it, come 1.5 s late: longer than the pause after
  // which the form opens a link ahead.
  const links: string[][] = [];
  await commune.page.routeWebSocket(/.*/, (page) => {
    const server = page.connectToServer();
    const methods: string[] = [];
    links.push(methods);
    let joinId: number | undefined;
    let late: string[] | null = null;
    page.onMessage((message) => {
      const request = JSON.parse(String(message)) as { id?: number; method?: string };
      if (request.method) methods.push(request.method);
      if (request.method === 'join') joinId = request.id;
      server.send(message);
    });
    server.onMessage((message) => {
      const text = String(message);
      if (late) return void late.push(text);
      if (joinId === undefined || (JSON.parse(text) as { id?: number }).id !== joinId) return page.send(text);
      late = [text];
      setTimeout(() => {
        late?.forEach((held) => page.send(held));
        late = null;
      }, 1500);
    });
  });

  const form = commune.page;
  await form.getByLabel('Địa chỉ máy chủ').fill(sfu.url);
  await form.getByLabel('Mã mời').fill(communeInvite);
  await form.getByLabel('Tên điểm cầu').fill(commune.name);
  await form.getByLabel('Mã cuộc giao ban').fill(code);
  await joinButton(commune).click();
  await expect(inBriefing(commune, code)).toBeVisible();
  await expectReceiving(commune, 'UBND huyện');
  expect(links.map((methods) => methods.includes('join')), 'one link, the one joined over').toEqual([true]);
});
