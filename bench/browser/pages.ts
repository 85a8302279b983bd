// The two pages the browser benchmarks drive in headless Chromium, each joining as one more
// meeting point of a briefing whose other points are plain-RTP senders of real VP8: our app (the
// renderer served by the local host, against our SFU) and the bare mediasoup-client page.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page, chromium } from '@playwright/test';
import { startLocalHost } from '../../main/host/LocalHost';
import { DesktopServices } from '../../main/services/DesktopServices';
import { CHROMIUM_ARGS } from '../../playwright.config';
import { KEEP_PEER_CONNECTIONS } from '../../tests/support/senderLayers';
import { type Generator, type RecordedLayers, startGenerator } from '../sfu/rtp';
import { BENCH_PAGE_POINT, ourSfu } from '../sfu/targets';
import { startBareServer } from './bareServer';

const root = path.resolve(import.meta.dirname, '..', '..');
const BRIEFING = 'bench-trinh-duyet';

/** Counted in the page from the first script on: the press of Join, the first remote frame, and
 * every peer connection (for the bytes on the wire). */
const INSTRUMENT = (remoteVideos: string) => `${KEEP_PEER_CONNECTIONS}
  document.addEventListener('click', () => { window.__joinPressedAt = performance.now(); }, true);
  const seen = new WeakSet();
  const watch = () => document.querySelectorAll(${JSON.stringify(remoteVideos)}).forEach((video) => {
    if (seen.has(video)) return;
    seen.add(video);
    const decoded = () => { window.__firstRemoteFrameAt ??= performance.now(); };
    video.addEventListener('loadeddata', decoded);
    video.requestVideoFrameCallback?.(decoded);
  });
  new MutationObserver(watch).observe(document, { childList: true, subtree: true });
`;

export interface JoinedPage {
  page: Page;
  /** Milliseconds from the press of Join to the first decoded remote frame. */
  joinMs: number;
  /** Milliseconds from the press of Join to each phase the app marks (renderer joinMarks.ts). */
  timeline: Record<string, number>;
  /** Chromium's processes for this page: CPU time (ms) so far and PSS (KiB) now. */
  usage(): { cpuMs: number; pssKb: number };
  /** Bytes on the wire so far, from the page's own transport stats. */
  bytes(): Promise<{ down: number; up: number }>;
  /** Bytes received so far per incoming stream (RTP payload and headers), with a video's width. */
  streams(): Promise<IncomingStream[]>;
  /** Remote videos that have decoded at least one frame. */
  decodingVideos(): Promise<number>;
  close(): Promise<void>;
}

export type Which = 'ours' | 'bare';

export interface IncomingStream {
  ssrc: number;
  kind: 'audio' | 'video';
  bytes: number;
  width: number;
  /** Shown on our page's stage (the bare page has none). */
  onStage: boolean;
}

/** Builds the renderer unless out/web is newer than every renderer and protocol source. */
export function ensureRendererBuilt(): void {
  const built = path.join(root, 'out', 'web', 'index.html');
  const newest = ['renderer', 'sfu-server/protocol'].flatMap((dir) =>
    (fs.readdirSync(path.join(root, dir), { recursive: true }) as string[]).map((f) => fs.statSync(path.join(root, dir, f)).mtimeMs),
  );
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs > Math.max(...newest)) return;
  execFileSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts'], { cwd: root, stdio: 'ignore' });
}

/** Starts a server of the given kind with `senders` meeting points already sending, opens a fresh
 * Chromium, and joins as one more point. */
/** A Chromium held to one core, as an old office PC's (its processes inherit the affinity). */
function oneCoreChromium(): string {
  const file = path.join(os.tmpdir(), 'giao-ban-bench-chromium-one-core');
  fs.writeFileSync(file, `#!/bin/sh\nexec taskset -c 1 ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'} "$@"\n`, { mode: 0o755 });
  return file;
}

export async function joinAsNextPoint(which: Which, senders: number, recorded: RecordedLayers, options: { oneCore?: boolean } = {}): Promise<JoinedPage> {
  const generators: Generator[] = [];
  const cleanups: (() => Promise<unknown>)[] = [async () => generators.forEach((g) => g.stop())];
  // A switch Chromium ignores, to find this browser's own process among others.
  const marker = `--giao-ban-bench=${process.pid}-${Date.now()}`;
  const executablePath = options.oneCore ? oneCoreChromium() : (process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');
  const browser: Browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS, marker] });
  cleanups.unshift(() => browser.close());
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
    const page = await context.newPage();
    if (which === 'ours') {
      const sfu = await ourSfu(BRIEFING);
      cleanups.push(() => sfu.close());
      for (let i = 0; i < senders; i++) generators.push(startGenerator(await sfu.produce({ video: true, replayed: true }), { recorded }));
      // A district briefing as the view is meant for: the chair speaks, the communes listen.
      if (senders > 0) await sfu.briefingMode();
      await page.addInitScript(INSTRUMENT('[data-peer-name] video'));
      await pressJoin(page, cleanups, { serverUrl: sfu.server.url, code: BRIEFING, point: BENCH_PAGE_POINT, invite: sfu.invites.points[BENCH_PAGE_POINT] });
    } else {
      const bare = await startBareServer();
      cleanups.push(() => bare.close());
      for (let i = 0; i < senders; i++) generators.push(startGenerator(await bare.addSender(), { recorded }));
      await page.addInitScript(INSTRUMENT('#videos video'));
      await page.goto(bare.pageUrl);
      await page.waitForTimeout(500);
      await page.locator('#join').click();
    }
    await page
      .waitForFunction(() => (window as unknown as { __firstRemoteFrameAt?: number }).__firstRemoteFrameAt !== undefined, null, { timeout: 30_000 })
      .catch(async (error: Error) => {
        // Say what the page showed: an error message there explains more than the time-out.
        const shown = await page.locator('body').innerText().catch(() => '');
        throw new Error(`${which}: no remote frame decoded within 30 s. The page showed:\n${shown.slice(0, 600)}\n(${error.message})`);
      });
    const joinMs = await page.evaluate(() => {
      const w = window as unknown as { __firstRemoteFrameAt: number; __joinPressedAt: number };
      return w.__firstRemoteFrameAt - w.__joinPressedAt;
    });
    const timeline = await page.evaluate(() => {
      const pressed = (window as unknown as { __joinPressedAt: number }).__joinPressedAt;
      const phases: Record<string, number> = {};
      for (const mark of performance.getEntriesByType('mark')) {
        if (mark.name.startsWith('giaoban:') && mark.startTime >= pressed) phases[mark.name.slice('giaoban:'.length)] ??= mark.startTime - pressed;
      }
      return phases;
    });
    const browserPid = findBrowserPid(marker);
    const remoteVideos = which === 'ours' ? '[data-peer-name] video' : '#videos video';
    return {
      page,
      joinMs,
      timeline,
      usage: () => chromiumUsage(browserPid),
      bytes: () =>
        page.evaluate(async () => {
          const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
          let down = 0;
          let up = 0;
          for (const pc of pcs) {
            (await pc.getStats()).forEach((s: { type: string; bytesReceived?: number; bytesSent?: number }) => {
              if (s.type !== 'transport') return;
              down += s.bytesReceived ?? 0;
              up += s.bytesSent ?? 0;
            });
          }
          return { down, up };
        }),
      streams: () =>
        page.evaluate(async () => {
          // Saving data, the stage flows at a thumbnail's size: only its track tells it apart.
          const shown = document.querySelector<HTMLVideoElement>('[data-testid="stage"] video')?.srcObject;
          const stageTrack = shown instanceof MediaStream ? shown.getVideoTracks()[0]?.id : undefined;
          const found: IncomingStream[] = [];
          for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
            (await pc.getStats()).forEach((s: { type: string; ssrc?: number; kind?: string; bytesReceived?: number; headerBytesReceived?: number; frameWidth?: number; trackIdentifier?: string }) => {
              if (s.type !== 'inbound-rtp') return;
              const bytes = (s.bytesReceived ?? 0) + (s.headerBytesReceived ?? 0);
              found.push({ ssrc: s.ssrc ?? 0, kind: s.kind === 'audio' ? 'audio' : 'video', bytes, width: s.frameWidth ?? 0, onStage: stageTrack !== undefined && s.trackIdentifier === stageTrack });
            });
          }
          return found;
        }),
      decodingVideos: () =>
        page.evaluate((selector) => [...document.querySelectorAll<HTMLVideoElement>(selector)].filter((v) => v.videoWidth > 0).length, remoteVideos),
      close: () => closeAll(cleanups),
    };
  } catch (error) {
    await closeAll(cleanups);
    throw error;
  }
}

/** Opens our app in `page` (its own data folder and local host, closed by `cleanups`), fills the
 * pre-join form and presses Join. */
export async function pressJoin(page: Page, cleanups: (() => Promise<unknown>)[], form: { serverUrl: string; code: string; point: string; invite: string }): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-bench-page-'));
  const services = await DesktopServices.open({ dataDir });
  const host = await startLocalHost({ services, webRoot: path.join(root, 'out', 'web') });
  cleanups.push(() => host.close(), () => services.close(), async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  await page.goto(host.url);
  await page.getByLabel('Địa chỉ máy chủ').fill(form.serverUrl);
  await page.getByLabel('Mã cuộc giao ban').fill(form.code);
  await page.getByLabel('Mã mời').fill(form.invite);
  await page.getByLabel('Tên điểm cầu').fill(form.point);
  // The camera preview is up before Join, as an operator sees it; and the form is left the
  // same half second the bare page is given before its Join (an operator takes longer): the
  // link the form opens ahead is then ready, as the bare page's socket is.
  await page.locator('video').first().waitFor();
  await page.waitForTimeout(500);
  await page.getByRole('button', { name: 'Vào giao ban' }).click();
}

export async function closeAll(cleanups: (() => Promise<unknown>)[]): Promise<void> {
  for (const cleanup of cleanups) await cleanup().catch(() => undefined);
}

export function processTable(): { pid: number; ppid: number; command: string }[] {
  return fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e)).flatMap((entry) => {
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return [{ pid: Number(entry), ppid, command: fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8') }];
    } catch {
      return [];
    }
  });
}

export function findBrowserPid(marker: string): number {
  const found = processTable().find((p) => p.command.includes(marker) && !p.command.includes('--type='));
  if (!found) throw new Error("the benchmark's Chromium process was not found");
  return found.pid;
}

/** CPU time and PSS of Chromium's browser process and everything below it (renderer, GPU,
 * network and utility processes). */
export function chromiumUsage(pid: number): { cpuMs: number; pssKb: number } {
  const table = processTable();
  let cpuMs = 0;
  let pssKb = 0;
  const visit = (p: number) => {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpuMs += ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
      pssKb += Number(/Pss:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    } catch {
      return;
    }
    for (const child of table.filter((c) => c.ppid === p)) visit(child.pid);
  };
  visit(pid);
  return { cpuMs, pssKb };
}
