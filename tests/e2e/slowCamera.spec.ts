// An old PC whose camera and microphone are slow to start sending still sees and hears the
// briefing at once: the server's answers to its `produce` requests are held back (as a busy PC
// or link would delay them) while the operator already follows the chair; once they come, the
// chair sees and hears the commune.
import { publishInvites } from '../support/invitations';
import { expect, expectReceiving, join, openMeetingPoint, type MeetingPoint, test, tileOf } from './fixtures';

let points: MeetingPoint[] = [];
test.afterEach(async () => {
  await Promise.all(points.map((p) => p.close()));
  points = [];
});

/** Holds the server's answers to this page's `produce` requests until released. */
async function holdSendingAnswers(point: MeetingPoint): Promise<{ held: () => number; release: () => void }> {
  const produceIds = new Set<number>();
  const heldAnswers: (() => void)[] = [];
  let released = false;
  await point.page.routeWebSocket(/.*/, (page) => {
    const server = page.connectToServer();
    page.onMessage((message) => {
      const request = JSON.parse(String(message)) as { id?: number; method?: string };
      if (request.method === 'produce' && typeof request.id === 'number') produceIds.add(request.id);
      server.send(message);
    });
    server.onMessage((message) => {
      const answer = JSON.parse(String(message)) as { id?: number };
      if (!released && typeof answer.id === 'number' && produceIds.has(answer.id)) heldAnswers.push(() => page.send(message));
      else page.send(message);
    });
  });
  return {
    held: () => heldAnswers.length,
    release: () => {
      released = true;
      heldAnswers.splice(0).forEach((send) => send());
    },
  };
}

test('a commune slow to start sending sees and hears the chair before its own camera is out', async ({ browser, sfu }) => {
  const code = 'giaoban-may-cham';
  const invites = await publishInvites(sfu, code, ['Xã Tân Lập'], { chairSeat: 'UBND huyện' });
  const district = await openMeetingPoint(browser, 'UBND huyện');
  const commune = await openMeetingPoint(browser, 'Xã Tân Lập');
  points = [district, commune];
  await join(district, sfu.url, code, invites.chair);

  const sending = await holdSendingAnswers(commune);
  await join(commune, sfu.url, code, invites.points['Xã Tân Lập']);
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
