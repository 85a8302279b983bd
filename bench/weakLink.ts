// A commune behind a narrow link, measured: its Chromium runs in a test host of its own (a
// network namespace, tests/support/netns.ts) and reaches the server only through the link
// emulator, capped at 512 and then 256 kbit/s each way. The chair (on stage, speaking) and 39
// other points are plain-RTP senders of real VP8 (a meeting room; then the busiest test picture
// behind 512 kbps) and Opus, in briefing mode. For each cap: gaps in the chair's sound over 200 ms,
// the stage's frames per second, the downlink used, and, once the cap is lifted, how long until
// the stage is back at its full size. Needs root (as CI).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type Browser, type Page, chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config';
import { LinkEmulator } from '../tests/support/linkEmulator';
import { closedPort as freePort } from '../tests/support/ports';
import { TestHost, canMakeNetworkNamespaces, linkTestAddresses } from '../tests/support/netns';
import { TEST_BROWSER_HOME, TEST_CA_FILE, prepareTestTls, testTlsDir } from '../tests/support/testTls';
import { type Figure, figure } from './lib/figures';
import { recordedLayers } from './browser/media';
import type { Scene } from './browser/scene';
import { ensureRendererBuilt } from './browser/pages';
import { type Generator, startGenerator } from './sfu/rtp';
import { BENCH_PAGE_POINT, ourSfu } from './sfu/targets';

const BRIEFING = 'bench-mang-yeu';
const SUBNET = 8;

/** What the page measured over a window: the chair's sound and the stage's picture. */
interface Window {
  /** Runs of concealed sound (nothing arrived to play) longer than 200 ms. */
  audioGaps: number;
  longestGapMs: number;
  stageFps: number;
  stageWidth: number;
  kbpsDown: number;
  /** Times a media transport of the page lost its path (ICE disconnected or failed). */
  mediaBreaks: number;
  /** Peer connections made within the window: the page made its connection to the server anew. */
  newConnections: number;
}

/** Records every peer connection the page makes and each change of its state, for the window to
 * tell a transport that lost its path (and had ICE restarted) from a connection made anew. */
const WATCH_CONNECTIONS = `window.__pcs = []; window.__pcStates = [];
const Native = window.RTCPeerConnection;
window.RTCPeerConnection = class extends Native {
  constructor(...a) {
    super(...a);
    window.__pcs.push(this);
    this.addEventListener('connectionstatechange', () => window.__pcStates.push({ at: performance.now(), state: this.connectionState }));
  }
};`;

/** Samples the page's own receive statistics every 50 ms for `ms`. Counters are summed step by
 * step: an ICE restart starts a transport's byte count again and a connection made anew starts
 * the stage's frame count again, and neither may empty the window of its figures. Plain
 * JavaScript, as text: tsx would wrap the functions of a script written here in a helper the
 * page does not have. */
const MEASURE_WINDOW = `async (windowMs) => {
  const stage = () => document.querySelector('[data-testid="stage"] video');
  const sample = async () => {
    let audio = { concealed: 0, total: 0 };
    const down = [];
    for (const pc of window.__pcs) {
      let bytes = 0;
      (await pc.getStats()).forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio' && (s.totalSamplesReceived ?? 0) > audio.total) audio = { concealed: s.concealedSamples ?? 0, total: s.totalSamplesReceived ?? 0 };
        if (s.type === 'transport') bytes += s.bytesReceived ?? 0;
      });
      down.push(bytes);
    }
    return { at: performance.now(), audio, down, frames: stage()?.getVideoPlaybackQuality().totalVideoFrames ?? 0 };
  };
  // What a counter added since the last step; one that went back started again from zero.
  const added = (now, before) => (now >= before ? now - before : now);
  const first = await sample();
  const pcsBefore = window.__pcs.length;
  let previous = first;
  let run = 0, gaps = 0, longest = 0, bytes = 0, frames = 0;
  while (performance.now() - first.at < windowMs) {
    await new Promise((r) => setTimeout(r, 50));
    const now = await sample();
    now.down.forEach((b, i) => (bytes += added(b, previous.down[i] ?? 0)));
    frames += added(now.frames, previous.frames);
    const played = now.audio.total - previous.audio.total;
    const concealed = now.audio.concealed - previous.audio.concealed;
    // Most of what played in this step was made up by the decoder: nothing had arrived.
    if (played > 0 && concealed >= played * 0.8) run += now.at - previous.at;
    else {
      if (run > 200) gaps++;
      longest = Math.max(longest, run);
      run = 0;
    }
    previous = now;
  }
  if (run > 200) gaps++;
  longest = Math.max(longest, run);
  const seconds = (previous.at - first.at) / 1000;
  const mediaBreaks = window.__pcStates.filter((e) => e.at >= first.at && (e.state === 'disconnected' || e.state === 'failed')).length;
  return { audioGaps: gaps, longestGapMs: longest, stageFps: frames / seconds, stageWidth: stage()?.videoWidth ?? 0, kbpsDown: (bytes * 8) / 1000 / seconds, mediaBreaks, newConnections: window.__pcs.length - pcsBefore };
}`;

/** The dropped packets by what they carried, from the page's own inbound streams (mediasoup's
 * probing padding arrives as a stream of its own, its mid "probator"). */
async function droppedByKind(page: Page, drops: Map<number, number>): Promise<{ sound: number; probing: number; video: number }> {
  const streams: Record<string, string> = await page.evaluate(`(async () => {
    const out = {};
    for (const pc of window.__pcs) (await pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp') out[s.ssrc] = s.mid === 'probator' ? 'probing' : s.kind; });
    return out;
  })()`);
  const counts = { sound: 0, probing: 0, video: 0 };
  for (const [ssrc, n] of drops) {
    const kind = streams[String(ssrc)];
    if (kind === 'audio') counts.sound += n;
    else if (kind === 'probing') counts.probing += n;
    else counts.video += n;
  }
  return counts;
}

function measureWindow(page: Page, ms: number): Promise<Window> {
  return page.evaluate(`(${MEASURE_WINDOW})(${ms})`);
}

async function stageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.querySelector<HTMLVideoElement>('[data-testid="stage"] video')?.videoWidth ?? 0);
}

const FIGURES = 'weak-link figures: ';

export function weakLinkBenchmark(quick: boolean): Promise<Figure[]> {
  if (!canMakeNetworkNamespaces()) throw new Error('the weak-link benchmark needs root, `ip` and `nft` to put the commune on a test host of its own');
  ensureRendererBuilt();
  prepareTestTls(linkTestAddresses());
  // The server speaks TLS, as one across a network does, and Node reads the CAs it trusts when it
  // starts: the measuring runs in a Node started trusting the test CA.
  const output = execFileSync(process.execPath, ['--import', 'tsx', import.meta.filename, ...(quick ? ['--quick'] : [])], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: TEST_CA_FILE },
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  }).toString();
  const line = output.split('\n').find((l) => l.startsWith(FIGURES));
  if (!line) throw new Error(`the weak-link measurement printed no figures:\n${output.slice(-2000)}`);
  return Promise.resolve(JSON.parse(line.slice(FIGURES.length)) as Figure[]);
}

if (process.argv[1] === import.meta.filename) {
  measureBehindCaps(process.argv.includes('--quick')).then(
    (figures) => console.log(FIGURES + JSON.stringify(figures)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}

/** The senders show a meeting room behind both caps, as communes' cameras do; then the busiest
 * test picture behind 512 kbps, for what the app does when the chair's camera fills every layer's
 * rate with frames it must drop (bench/browser/scene.ts). */
async function measureBehindCaps(quick: boolean): Promise<Figure[]> {
  return [...(await behindCaps(quick, 'meeting-room', [512, 256])), ...(await behindCaps(quick, 'test-pattern', [512]))];
}

async function behindCaps(quick: boolean, scene: Scene, caps: number[]): Promise<Figure[]> {
  const recorded = recordedLayers(scene);
  const cleanups: (() => unknown)[] = [];
  const generators: Generator[] = [];
  cleanups.push(() => generators.forEach((g) => g.stop()));
  try {
    const host = TestHost.create(SUBNET);
    cleanups.push(() => host.destroy());
    const mediaPort = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-bench-weak-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    // Senders on loopback (the first media address, as every test server has: their plain RTP
    // must not cross the commune's link); the commune's media announced at the emulator's
    // address on the test host's link.
    const sfu = await ourSfu(BRIEFING, {}, {
      port: await freePort(),
      dataDir,
      extraArgs: ['--host', '0.0.0.0', '--media-port', String(mediaPort), '--media-ip', `${host.hostIp}@${host.relayIp}`, '--tls-dir', testTlsDir(dataDir)],
    });
    cleanups.push(() => sfu.close());
    for (let i = 0; i < 40; i++) generators.push(startGenerator(await sfu.produce({ video: true, replayed: true }), { recorded }));
    await sfu.briefingMode();
    const link = await LinkEmulator.start(host.relayIp, { ip: host.hostIp, signalingPort: sfu.server.port, mediaPort });
    cleanups.push(() => link.close());

    const appUrl = await host.startApp();
    const browser: Browser = await chromium.launch({ executablePath: host.chromiumWrapper(), args: CHROMIUM_ARGS, env: { ...process.env, HOME: TEST_BROWSER_HOME } });
    cleanups.unshift(() => browser.close());
    // A fresh page for each cap: data saving turned off by the operator stays off for a while.
    const appSaid: string[] = [];
    const joinedCommune = async (): Promise<Page> => {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' })).newPage();
      await page.addInitScript(WATCH_CONNECTIONS);
      // What the app says of its links: the note names why a connection was made anew.
      page.on('console', (message) => {
        if (/^\[(signaling|media|link)\]/.test(message.text())) appSaid.push(`${Math.round(performance.now())} ${message.text()}`);
      });
      await page.goto(appUrl);
      await page.getByLabel('Địa chỉ máy chủ').fill(link.signalingUrl);
      await page.getByLabel('Mã cuộc giao ban').fill(BRIEFING);
      await page.getByLabel('Mã mời').fill(sfu.invites.points[BENCH_PAGE_POINT]);
      await page.getByLabel('Tên điểm cầu').fill(BENCH_PAGE_POINT);
      // The camera preview is up before Join, as an operator sees it.
      await page.locator('video').first().waitFor();
      await page.getByRole('button', { name: 'Vào giao ban' }).click();
      await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="stage"] video')?.videoWidth ?? 0) > 0, null, { timeout: 60_000 }).catch(async (error: Error) => {
        // Say what the page showed: its message explains more than the time-out.
        const shown = await page.locator('body').innerText().catch(() => '');
        throw new Error(`the commune's stage never showed. The page showed:\n${shown.slice(0, 800)}\n(${error.message})`);
      });
      // The link's estimate climbs for a while after joining.
      await page.waitForTimeout(10_000);
      return page;
    };

    const windowMs = quick ? 8000 : 15_000;
    const figures: Figure[] = [];
    const common = { benchmark: 'weak link', runs: 1, referenceName: 'the same commune, link not capped' };
    const busiest = scene === 'test-pattern';
    const picture = busiest ? ', the busiest test picture (testsrc2)' : '';
    for (const kbps of caps) {
      const page = await joinedCommune();
      const open = await measureWindow(page, windowMs);
      link.set({ delayMs: 40, lossPct: 0, kbps });
      appSaid.length = 0;
      // The transport's estimate has to find the cap before the window says what it carries.
      await page.waitForTimeout(quick ? 6000 : 10_000);
      // The link emulator and the 40 senders share this process: a stall of its event loop
      // holds every packet, and the page would hear it as a gap the link did not make.
      const stalls = monitorEventLoopDelay({ resolution: 10 });
      stalls.enable();
      const droppedBefore = link.queueDrops.down;
      link.downDropsBySsrc.clear();
      const capped = await measureWindow(page, windowMs);
      const droppedInWindow = link.queueDrops.down - droppedBefore;
      const dropped = await droppedByKind(page, link.downDropsBySsrc);
      stalls.disable();
      const savedByItself = await page.getByText('đã tự bật tiết kiệm dữ liệu').isVisible();
      link.set({ delayMs: 0, lossPct: 0 });
      const lifted = performance.now();
      // As the operator would once the link is back: data saving does not turn itself off.
      if (savedByItself) await page.getByRole('button', { name: 'Tắt tiết kiệm dữ liệu' }).click();
      let recoveredMs = Number.NaN;
      while (performance.now() - lifted < 60_000) {
        if ((await stageWidth(page)) >= open.stageWidth) {
          recoveredMs = performance.now() - lifted;
          break;
        }
        await page.waitForTimeout(100);
      }
      const note = `${busiest ? 'the senders replay ffmpeg testsrc2; ' : 'the senders replay a meeting room; '}window of ${windowMs / 1000} s; stage ${open.stageWidth} px wide before the cap; data saving ${savedByItself ? 'on by itself' : 'off'}; stage ${capped.stageWidth} px wide; longest gap ${Math.round(capped.longestGapMs)} ms; ${capped.mediaBreaks ? `the page's media lost its path ${capped.mediaBreaks} times in the window (ICE restarted); ` : ''}${capped.newConnections ? `the page made its connection anew in the window (the app said: ${appSaid.slice(0, 3).join(' / ') || 'nothing'}); ` : ''}the emulator's process stalled up to ${Math.round(stalls.max / 1e6)} ms; ${droppedInWindow} packets dropped by the link's full queue in the window (RTP: ${dropped.sound} of sound, ${dropped.probing} of the server's bandwidth probing, ${dropped.video} of video), ${link.queueDrops.down} in all`;
      figures.push(
        figure({ ...common, referenceName: null, name: `audio gaps over 200 ms behind ${kbps} kbps${picture}`, unit: 'gaps', ours: capped.audioGaps, reference: null, target: { on: 'ours', op: '<=', value: 0, text: '0' }, note }),
        figure({ ...common, name: `stage frames per second behind ${kbps} kbps${picture}`, unit: 'fps', ours: capped.stageFps, reference: open.stageFps, target: kbps === 512 && !busiest ? { on: 'ours', op: '>=', value: 10, text: '≥ 10 fps' } : null }),
        figure({ ...common, name: `downlink used behind ${kbps} kbps${picture}`, unit: 'kbps', ours: capped.kbpsDown, reference: open.kbpsDown, target: null }),
        figure({ ...common, referenceName: null, name: `time to the stage's size before the ${kbps} kbps cap, once it is lifted${picture}`, unit: 'ms', ours: recoveredMs, reference: null, target: null }),
      );
      await page.context().close();
    }
    return figures;
  } finally {
    for (const cleanup of cleanups) await Promise.resolve(cleanup()).catch(() => undefined);
  }
}
