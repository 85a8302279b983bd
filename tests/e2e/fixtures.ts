// What the end-to-end tests stand on: the standalone SFU server as its own process (as
// `npm run sfu` starts it), and one local host per meeting point (the desktop services in
// Node, the renderer in a Chromium page), each with its own data folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, type Page, test as base, expect } from '@playwright/test';
import { type LocalHost, startLocalHost } from '../../main/host/LocalHost';
import { DesktopServices } from '../../main/services/DesktopServices';

const root = path.resolve(import.meta.dirname, '..', '..');

import { publishInvites } from '../support/invitations';
import { type RunningSfu, startSfuProcess } from '../support/sfuProcess';

export { type RunningSfu, startSfuProcess };

export interface MeetingPoint {
  name: string;
  page: Page;
  context: BrowserContext;
  host: LocalHost;
  services: DesktopServices;
  /** This PC's Documents folder, where the browser-tab mode exports records. */
  exportsDir: string;
  close(): Promise<void>;
}

/** A meeting point's PC: the desktop services on a data folder (a new one unless given, as for a
 * PC that has been used before), the page in its own browser context. */
export async function openMeetingPoint(browser: Browser, name: string, options: { dataDir?: string } = {}): Promise<MeetingPoint> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-e2e-'));
  const exportsDir = path.join(dataDir, 'Tài liệu');
  const services = await DesktopServices.open({ dataDir, exportsDir });
  const host = await startLocalHost({ services, webRoot: path.join(root, 'out', 'web') });
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[${name}] page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'warning' || message.type() === 'error') console.error(`[${name}] ${message.text()}`);
  });
  await page.goto(host.url);
  let closed = false;
  return {
    name,
    page,
    context,
    host,
    services,
    exportsDir,
    async close() {
      if (closed) return;
      closed = true;
      await context.close();
      await host.close();
      await services.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Fills the pre-join screen as an operator would (the invite code if one was sent to this
 * point; a PC that published the briefing has the chair's already) and joins. */
export async function join(point: MeetingPoint, serverUrl: string, briefingCode: string, invite?: string, options: { timeoutMs?: number } = {}): Promise<void> {
  await askToJoin(point, serverUrl, briefingCode, invite);
  await expect(point.page.locator(`[data-briefing-code="${briefingCode}"]`)).toBeVisible({ timeout: options.timeoutMs });
}

/** Fills the pre-join form and presses the button, without waiting to be in. */
export async function askToJoin(point: MeetingPoint, serverUrl: string, briefingCode: string, invite?: string): Promise<void> {
  await fillPreJoin(point, serverUrl, briefingCode, invite);
  await point.page.getByRole('button', { name: 'Vào giao ban' }).click();
}

/** Fills the pre-join form as an operator types it, without pressing Join. */
export async function fillPreJoin(point: MeetingPoint, serverUrl: string, briefingCode: string, invite?: string): Promise<void> {
  const { page } = point;
  await page.getByLabel('Địa chỉ máy chủ').fill(serverUrl);
  await page.getByLabel('Mã cuộc giao ban').fill(briefingCode);
  // The held code may be filled in while the operator types: what is typed must be what stays.
  if (invite !== undefined) {
    await expect(async () => {
      await page.getByLabel('Mã mời').fill(invite);
      await expect(page.getByLabel('Mã mời')).toHaveValue(invite, { timeout: 500 });
    }).toPass();
  }
  await page.getByLabel('Tên điểm cầu').fill(point.name);
}

/** The opening of a two-point scenario: the district chairs a briefing inviting one commune,
 * both PCs' pages are open, and the district has joined; the commune joins when the test says
 * (after its link is set up as the test needs). */
export async function districtChairing(
  browser: Browser,
  sfu: RunningSfu,
  code: string,
  /** The test's points to close after it: each page is added as soon as it is open. */
  opened: MeetingPoint[],
): Promise<{ district: MeetingPoint; commune: MeetingPoint; communeInvite: string }> {
  const invites = await publishInvites(sfu, code, ['Xã Tân Lập'], { chairSeat: 'UBND huyện' });
  const district = await openMeetingPoint(browser, 'UBND huyện');
  opened.push(district);
  const commune = await openMeetingPoint(browser, 'Xã Tân Lập');
  opened.push(commune);
  await join(district, sfu.url, code, invites.chair);
  return { district, commune, communeInvite: invites.points['Xã Tân Lập'] };
}

/** Leaves the briefing as an operator does: the button, then the confirmation. */
export async function leaveBriefing(point: MeetingPoint): Promise<void> {
  await point.page.getByRole('button', { name: 'Rời cuộc giao ban' }).click();
  await point.page.getByRole('alertdialog').getByRole('button', { name: 'Rời khỏi' }).click();
  // Out of the briefing: its own panel tabs (Biên bản…) are gone, the app's tabs are back.
  await expect(point.page.locator('[data-briefing-code]')).toHaveCount(0);
}

/** The tile in which `viewer` shows meeting point `name` (stage or thumbnail). */
export function tileOf(viewer: MeetingPoint, name: string) {
  return viewer.page.locator(`[data-peer-name="${name}"]`);
}

async function figures(viewer: MeetingPoint, name: string): Promise<{ frames: number; audioBytes: number }> {
  const tile = tileOf(viewer, name);
  return {
    frames: Number((await tile.getAttribute('data-frames-decoded')) ?? 0),
    audioBytes: Number((await tile.getAttribute('data-audio-bytes')) ?? 0),
  };
}

/** What the tile shows of a stream that stays dark: whether a video is received at all, packets,
 * key frames asked for. Printed with a failure, so a dark stage in CI says where it stopped. */
async function darkTile(viewer: MeetingPoint, name: string): Promise<string> {
  const tile = tileOf(viewer, name);
  const read = async (attribute: string) => `${attribute}=${(await tile.getAttribute(`data-${attribute}`, { timeout: 2000 }).catch(() => null)) ?? '?'}`;
  return (await Promise.all(['video', 'video-packets', 'key-frames-asked', 'audio-bytes'].map(read))).join(' ');
}

/** `viewer` decodes `name`'s video and receives its sound: both counters keep rising. */
export async function expectReceiving(viewer: MeetingPoint, name: string): Promise<void> {
  await expect(tileOf(viewer, name)).toHaveCount(1);
  try {
    await expect.poll(async () => (await figures(viewer, name)).frames, { timeout: 30_000 }).toBeGreaterThan(0);
  } catch (error) {
    console.error(`[${viewer.name}] ${name}'s tile stays dark: ${await darkTile(viewer, name)}`);
    throw error;
  }
  // Counters start again from zero when the stream is received anew (after a rejoin).
  let last = await figures(viewer, name);
  await expect
    .poll(
      async () => {
        const now = await figures(viewer, name);
        const rising = now.frames > last.frames && now.audioBytes > last.audioBytes;
        if (now.frames < last.frames || now.audioBytes < last.audioBytes) last = now;
        return rising;
      },
      { timeout: 15_000, message: `${viewer.name} should keep decoding ${name}` },
    )
    .toBe(true);
}

export const test = base.extend<{ sfu: RunningSfu }>({
  // Playwright reads the fixtures a fixture needs from this pattern: this one needs none.
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the object pattern here
  sfu: async ({}, use) => {
    const sfu = await startSfuProcess();
    await use(sfu);
    await sfu.stop();
  },
});
export { expect };

/** Every process below `pid`: the SFU is tsx → node → mediasoup-worker. */
export function descendants(pid: number): { pid: number; command: string }[] {
  const children = fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => {
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === pid ? [{ pid: Number(entry), command: fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8') }] : [];
      } catch {
        return [];
      }
    });
  return children.flatMap((child) => [child, ...descendants(child.pid)]);
}

export { closedPort } from '../support/ports';
