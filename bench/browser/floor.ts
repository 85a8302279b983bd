// How soon a commune shown only as a thumbnail sends the layer a stage needs once the chair gives
// it the floor. Off stage it encodes only its thumbnail layer (the server tells it what anyone
// receives); given the floor, the other points' stages ask for more, the server tells it, and its
// browser switches the layer back on. Two of our pages (the commune, and another commune watching)
// and the chair as a plain-RTP sender replaying real VP8, on our server.
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../playwright.config';
import { KEEP_PEER_CONNECTIONS, encodedLayers } from '../../tests/support/senderLayers';
import { type RecordedLayers, startGenerator } from '../sfu/rtp';
import { BENCH_PAGE_POINT, ourSfu } from '../sfu/targets';
import { closeAll, pressJoin } from './pages';

const BRIEFING = 'bench-trao-loi';
/** A seat the chair's plain-RTP sender does not take (it takes the first free ones). */
const WATCHING = 'Điểm cầu 210';
/** How often the commune's sender is read while waiting for its layer. */
const POLL_MS = 20;

async function until(what: string, timeoutMs: number, holds: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await holds())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Milliseconds from the chair's grant of the floor to the commune's browser encoding its second
 * layer (the one a 470-pixel stage in a 1280×800 window needs). */
export async function layersAfterFloorMs(recorded: RecordedLayers): Promise<number> {
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const sfu = await ourSfu(BRIEFING);
    cleanups.push(() => sfu.close());
    const chair = startGenerator(await sfu.produce({ video: true, replayed: true }), { recorded });
    cleanups.push(async () => chair.stop());
    await sfu.briefingMode();
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    cleanups.unshift(() => browser.close());
    const open = async (point: string) => {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' })).newPage();
      await page.addInitScript(KEEP_PEER_CONNECTIONS);
      await pressJoin(page, cleanups, { serverUrl: sfu.server.url, code: BRIEFING, point, invite: sfu.invites.points[point] });
      return page;
    };
    const commune = await open(BENCH_PAGE_POINT);
    await open(WATCHING);
    await until('the commune, a thumbnail at the other, encodes only that layer', 30_000, async () => (await encodedLayers(commune)).join() === 'true,false,false');
    const granted = performance.now();
    await sfu.grantFloor(BENCH_PAGE_POINT);
    await until("the commune encodes the stage's layer", 10_000, async () => (await encodedLayers(commune)).at(1) === true);
    return performance.now() - granted;
  } finally {
    await closeAll(cleanups);
  }
}
