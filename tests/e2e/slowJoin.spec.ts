// A join whose slow parts do not hold the operator at the pre-join form: the server's answers to
// a commune's requests are held back (as a busy PC, server or link would delay them). Its camera
// slow to start sending, it already sees and hears the chair; the streams of the briefing slow to
// come, it already sees the briefing, and each picture comes into it once answered.
import type { Browser, WebSocketRoute } from '@playwright/test';
import { publishInvites } from '../support/invitations';
import { TestClient } from '../support/sfuTestClient';
import { askToJoin, districtChairing, expect, expectReceiving, join, type MeetingPoint, openMeetingPoint, type RunningSfu, test, tileOf } from './fixtures';
import { holdAnswers } from './signalingRoutes';

let points: MeetingPoint[] = [];
test.afterEach(async () => {
  await Promise.all(points.map((p) => p.close()));
  points = [];
});

test('a commune slow to start sending sees and hears the chair before its own camera is out', async ({ browser, sfu }) => {
  const code = 'giaoban-may-cham';
  const { district, commune, communeInvite } = await districtChairing(browser, sfu, code, points);

  const sending = await holdAnswers(commune, 'produce');
  await join(commune, sfu.url, code, communeInvite);
  // The briefing is shown and the chair's picture and sound play while the commune's own camera
  // and microphone are still waiting for the server's word.
  await expect.poll(() => sending.held(), { message: 'the commune asked to send' }).toBeGreaterThan(0);
  await expect.poll(async () => Number((await tileOf(commune, 'UBND huyện').getAttribute('data-frames-decoded')) ?? 0), { timeout: 10_000 }).toBeGreaterThan(0);
  await expect.poll(async () => Number((await tileOf(commune, 'UBND huyện').getAttribute('data-audio-bytes')) ?? 0), { timeout: 5000 }).toBeGreaterThan(0);
  expect(sending.held(), 'still waiting to send while receiving').toBeGreaterThan(0);

  sending.release();
  await expectReceiving(district, 'Xã Tân Lập');
  await expectReceiving(commune, 'UBND huyện');
});

test('a commune whose streams are slow to come sees the briefing at once, and the chair once they come', async ({ browser, sfu }) => {
  const code = 'giaoban-luong-cham';
  const { district, commune, communeInvite } = await districtChairing(browser, sfu, code, points);

  const streams = await holdAnswers(commune, 'consumeMany');
  // The briefing is shown, the chair's place in it too, while its streams wait for the server.
  await join(commune, sfu.url, code, communeInvite);
  await expect(tileOf(commune, 'UBND huyện')).toHaveCount(1);
  await expect.poll(() => streams.held(), { message: 'the streams asked for, their answer held' }).toBeGreaterThan(0);
  await expect(tileOf(commune, 'UBND huyện')).toHaveAttribute('data-video', 'none');

  streams.release();
  await expectReceiving(commune, 'UBND huyện');
  await expectReceiving(district, 'Xã Tân Lập');
});

test('a commune whose streams the server refuses is told so on screen, and stays in the briefing', async ({ browser, sfu }) => {
  const code = 'giaoban-tu-choi-luong';
  const { district, commune, communeInvite } = await districtChairing(browser, sfu, code, points);

  // The server's answer to the commune's request for the briefing's streams is a refusal.
  await commune.page.routeWebSocket(/.*/, (page) => {
    const server = page.connectToServer();
    page.onMessage((message) => {
      const request = JSON.parse(String(message)) as { id?: number; method?: string };
      if (request.method === 'consumeMany') page.send(JSON.stringify({ id: request.id, ok: false, error: { code: 'over_limit', message: 'at most 0 consumers' } }));
      else server.send(message);
    });
    server.onMessage((message) => page.send(message));
  });
  await join(commune, sfu.url, code, communeInvite);
  await expect(commune.page.getByTestId('media-refused')).toContainText('Máy chủ từ chối truyền hình ảnh và âm thanh cho điểm cầu này');
  await expect(commune.page.getByTestId('media-refused')).toContainText('vượt giới hạn');
  // Still in its seat: the chair sees it present.
  await expect(tileOf(district, 'Xã Tân Lập')).toHaveCount(1);
  await expect(commune.page.locator(`[data-briefing-code="${code}"]`)).toBeVisible();
});

/** The district present, the commune's page open (not joined), and Hòa Bình present as a bare
 * client the test can close (its app closing). */
async function withPointAboutToLeave(browser: Browser, sfu: RunningSfu, code: string) {
  const invites = await publishInvites(sfu, code, ['Xã Tân Lập', 'Xã Hòa Bình'], { chairSeat: 'UBND huyện' });
  const district = await openMeetingPoint(browser, 'UBND huyện');
  points.push(district);
  const commune = await openMeetingPoint(browser, 'Xã Tân Lập');
  points.push(commune);
  await join(district, sfu.url, code, invites.chair);
  const leaving = await TestClient.connect(sfu.url);
  expect((await leaving.join(code, 'Xã Hòa Bình', { credential: invites.points['Xã Hòa Bình'] })).ok).toBe(true);
  await expect(tileOf(district, 'Xã Hòa Bình')).toHaveCount(1);
  return { district, commune, leaving, invites };
}

test('a commune whose join is slow to finish shows the briefing as it is once in, not as it was when it asked', async ({ browser, sfu }) => {
  const code = 'giaoban-vao-cham';
  const { district, commune, leaving, invites } = await withPointAboutToLeave(browser, sfu, code);

  // The commune is let in (the server's answer lists Hòa Bình), but its media links are slow to open.
  const transports = await holdAnswers(commune, 'createTransport');
  await askToJoin(commune, sfu.url, code, invites.points['Xã Tân Lập']);
  await expect.poll(() => transports.held(), { message: 'the commune asked for its media links' }).toBeGreaterThan(0);
  // Meanwhile Hòa Bình's app closes.
  leaving.socket.close();
  await expect(tileOf(district, 'Xã Hòa Bình')).toHaveCount(0, { timeout: 5000 });

  transports.release();
  await expect(commune.page.locator(`[data-briefing-code="${code}"]`)).toBeVisible();
  await expectReceiving(commune, 'UBND huyện');
  await expect(tileOf(commune, 'Xã Hòa Bình')).toHaveCount(0);
});

test('a reconnect whose first try fails shows no point that left before the next one', async ({ browser, sfu }) => {
  const code = 'giaoban-thu-lai';
  const { district, commune, leaving, invites } = await withPointAboutToLeave(browser, sfu, code);

  // The commune's first link drops; on the second, the server's word stops coming once the media
  // links are asked for, and the answer is a failure: that try ends, and another follows.
  const links: WebSocketRoute[] = [];
  let failTransport: (() => void) | undefined;
  await commune.page.routeWebSocket(/.*/, (page) => {
    const index = links.push(page);
    const server = page.connectToServer();
    let deaf = false;
    let joinId: number | undefined;
    page.onMessage((message) => {
      const request = JSON.parse(String(message)) as { id?: number; method?: string };
      if (request.method === 'join') joinId = request.id;
      if (index === 2 && request.method === 'createTransport') {
        deaf = true;
        failTransport = () => page.send(JSON.stringify({ id: request.id, ok: false, error: { code: 'internal', message: 'no media link now' } }));
      } else server.send(message);
    });
    // The join's own answer still arrives (the media links are asked for right behind it).
    server.onMessage((message) => (!deaf || (JSON.parse(String(message)) as { id?: number }).id === joinId) && page.send(message));
  });
  await join(commune, sfu.url, code, invites.points['Xã Tân Lập']);
  await expect(tileOf(commune, 'Xã Hòa Bình')).toHaveCount(1);
  await links[0].close();
  await expect.poll(() => failTransport !== undefined, { message: 'the second try asked for its media links' }).toBe(true);
  // Hòa Bình leaves while the commune hears nothing; then the second try fails.
  leaving.socket.close();
  await expect(tileOf(district, 'Xã Hòa Bình')).toHaveCount(0, { timeout: 5000 });
  failTransport!();

  await expect(tileOf(district, 'Xã Tân Lập')).toHaveCount(1, { timeout: 15_000 });
  await expectReceiving(commune, 'UBND huyện');
  await expect(tileOf(commune, 'Xã Hòa Bình')).toHaveCount(0);
});
