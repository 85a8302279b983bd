// The two SFUs the forwarding benchmark drives with the same generator and sinks: ours, through
// its own WebSocket signaling (a server started with --allow-plain-rtp), and a bare mediasoup
// router of the same version with none of our code.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { types } from 'mediasoup';
import { type LinkCounters, linkFigures } from '../../renderer/src/briefing/linkReport';
import { LINK_SAMPLE_MS } from '../../sfu-server/protocol';
import { loadMediasoup } from '../../sfu-server/src/mediasoupLoader';
import { type Invites, publishInvites } from '../../tests/support/invitations';
import { TestClient } from '../../tests/support/sfuTestClient';
import { type RunningSfu, startSfuProcess } from '../../tests/support/sfuProcess';
import { producerRtpParameters, replayedVideoRtpParameters } from './rtp';

/** The meeting point a browser benchmark's page joins as. */
export const BENCH_PAGE_POINT = 'Xã đo thử';

/** What a benchmark's point counts of its own traffic: reported to our server as the app
 * reports its link. */
export type OwnTraffic = () => { bytesSent: number; bytesReceived: number };

export interface ForwardingTarget {
  /** A sending meeting point (audio, and video unless audio-only): where its generator sends.
   * `replayed`: its video is the recorded VP8 with temporal layers. */
  produce(options: { video: boolean; replayed?: boolean; traffic?: OwnTraffic }): Promise<{ ip: string; port: number }>;
  /** A receiving meeting point on this local UDP port: every stream produced so far, video on
   * its lowest layer. */
  addSink(port: number, traffic?: OwnTraffic): Promise<void>;
  workerPids(): number[];
  close(): Promise<void>;
}

/** A plain-RTP sink's receive capabilities: the router's, without congestion control. A sink
 * sends no feedback, so a transport that negotiated it never raised its estimate above the
 * initial 600 kbps, and mediasoup forwarded each sink only the low layers that fit in that: two
 * of the five on stage (264 kbps each), not the five the figure says. */
export function withoutCongestionControl(capabilities: types.RtpCapabilities): types.RtpCapabilities {
  const feedback = new Set(['transport-cc', 'goog-remb']);
  return {
    codecs: capabilities.codecs?.map((codec) => ({ ...codec, rtcpFeedback: codec.rtcpFeedback?.filter((f) => !feedback.has(f.type)) })),
    headerExtensions: capabilities.headerExtensions?.filter((h) => !/transport-wide-cc|abs-send-time/.test(h.uri)),
  };
}

/** The cores this process may run on now, as taskset writes them ("0-1"). */
export function allowedCores(): string {
  const line = fs.readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('Cpus_allowed_list:'));
  if (!line) throw new Error('this kernel does not say which cores the process may use (/proc/self/status)');
  return line.slice('Cpus_allowed_list:'.length).trim();
}

/** Pins a process (and what it starts later) to one core, so figures are per core. */
export function pin(pid: number, cores: number | string): void {
  execFileSync('taskset', ['-a', '-p', '-c', String(cores), String(pid)], { stdio: 'ignore' });
}

/** The processes below `pid`, split into mediasoup workers and the rest (tsx, node). */
function processesUnder(pid: number, found = { workers: [] as number[], others: [] as number[] }) {
  for (const entry of fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== pid) continue;
      const command = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (command.includes('mediasoup-worker')) found.workers.push(Number(entry));
      else {
        found.others.push(Number(entry));
        processesUnder(Number(entry), found);
      }
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** Our server: one worker per core in `workerCores` (pinned there), a briefing spreading to the next
 * worker after `pointsPerWorker` meeting points; unpinned when no cores are given. */
export async function ourSfu(
  code: string,
  placement: { workerCores?: number[]; controlCore?: number; pointsPerWorker?: number } = {},
  /** Where it listens, when a benchmark needs it somewhere else (a test host's link, TLS). */
  listening: { port?: number; dataDir?: string; extraArgs?: string[] } = {},
): Promise<ForwardingTarget & { server: RunningSfu; invites: Invites; briefingMode(): Promise<void>; grantFloor(point: string): Promise<void> }> {
  const { workerCores, controlCore, pointsPerWorker = 1000 } = placement;
  const workerCount = workerCores?.length ?? 1;
  const server = await startSfuProcess({
    ...listening,
    extraArgs: ['--allow-plain-rtp', '--max-points', '1000', '--workers', String(workerCount), '--points-per-worker', String(pointsPerWorker), ...(listening.extraArgs ?? [])],
  });
  const { workers, others } = processesUnder(server.process.pid!);
  if (workers.length !== workerCount) throw new Error(`expected ${workerCount} mediasoup workers, found ${workers.length}`);
  if (workerCores) workers.forEach((pid, i) => pin(pid, workerCores[i]));
  // Our Node process (signaling, rooms) runs where the bare router's controlling script runs:
  // the measured core carries only the worker, in both.
  if (controlCore !== undefined) [server.process.pid!, ...others].forEach((pid) => pin(pid, controlCore));
  // Our server seats only invited points: the briefing is published first, as the district does,
  // with a seat for every sender and sink the benchmark may add.
  const invites = await publishInvites(server, code, [BENCH_PAGE_POINT, ...Array.from({ length: 210 }, (_, i) => `Điểm cầu ${i + 1}`)]);
  const free = Object.keys(invites.points).filter((name) => name !== BENCH_PAGE_POINT);
  const clients: TestClient[] = [];
  // The first sender is the district room, the chair: it is on stage and may switch the mode.
  const joined = async (asChair = false, capabilities?: (all: types.RtpCapabilities) => types.RtpCapabilities) => {
    const name = asChair ? invites.chairSeat : free.shift()!;
    const client = await TestClient.connect(server.url);
    clients.push(client);
    const reply = await client.join(code, name, { credential: asChair ? invites.chair : invites.points[name], capabilities });
    if (!reply.ok) throw new Error(`join: ${reply.error?.message}`);
    return client;
  };
  const ok = async (client: TestClient, method: string, data: unknown) => {
    const reply = await client.request(method, data);
    if (!reply.ok) throw new Error(`${method}: ${reply.error?.message}`);
    return reply.data;
  };
  const producers: string[] = [];
  let chair: TestClient | undefined;
  const reporters: ReturnType<typeof setInterval>[] = [];
  /** The point reports its link every sample from its own byte counts, with the app's arithmetic
   * (renderer/src/briefing/linkReport.ts). It knows no round trip, and loses nothing of what it
   * sends on this machine's loopback; a point that does not report is measured by the server. */
  const report = (client: TestClient, traffic: OwnTraffic) => {
    const read = (): LinkCounters => ({ ...traffic(), at: performance.now(), sent: new Map(), rttMs: null });
    let last = read();
    reporters.push(
      setInterval(() => {
        const now = read();
        void client.request('reportLink', linkFigures(last, now));
        last = now;
      }, LINK_SAMPLE_MS),
    );
  };
  return {
    server,
    invites,
    /** Briefing mode: only the chair's (and the floor holder's) microphone is forwarded. */
    async briefingMode() {
      if (!chair) throw new Error('no chair has joined yet');
      await ok(chair, 'setFloorMode', { mode: 'briefing' });
    },
    /** The chair gives the floor to the point seated as `point` (once it has joined). */
    async grantFloor(point) {
      if (!chair) throw new Error('no chair has joined yet');
      const joinedPoint = await chair.waitFor('peerJoined', (d: { peer: { displayName: string } }) => d.peer.displayName === point, 30_000);
      await ok(chair, 'grantFloor', { seatId: joinedPoint.peer.seatId });
    },
    async produce({ video, replayed = false, traffic }) {
      const sender = await joined(!chair);
      if (traffic) report(sender, traffic);
      chair ??= sender;
      const transport = await ok(sender, 'createPlainTransport', { direction: 'send' });
      producers.push((await ok(sender, 'produce', { transportId: transport.id, kind: 'audio', source: 'mic', rtpParameters: producerRtpParameters.audio })).producerId);
      if (video) {
        producers.push((await ok(sender, 'produce', { transportId: transport.id, kind: 'video', source: 'camera', rtpParameters: replayed ? replayedVideoRtpParameters : producerRtpParameters.video })).producerId);
      }
      return { ip: transport.ip, port: transport.port };
    },
    async addSink(port, traffic) {
      const point = await joined(false, withoutCongestionControl);
      if (traffic) report(point, traffic);
      const transport = await ok(point, 'createPlainTransport', { direction: 'recv' });
      await ok(point, 'connectPlainTransport', { transportId: transport.id, ip: '127.0.0.1', port });
      for (const producerId of producers) {
        const consumer = await ok(point, 'consume', { transportId: transport.id, producerId });
        if (consumer.kind === 'video') await ok(point, 'setConsumerLayer', { consumerId: consumer.consumerId, spatialLayer: 0 });
        await ok(point, 'resumeConsumer', { consumerId: consumer.consumerId });
      }
    },
    workerPids: () => workers,
    async close() {
      reporters.forEach((timer) => clearInterval(timer));
      clients.forEach((c) => c.close());
      await server.stop();
    },
  };
}

export async function bareSfu(core: number): Promise<ForwardingTarget> {
  const mediasoup = await loadMediasoup();
  const worker = await mediasoup.createWorker({ logLevel: 'warn' });
  pin(worker.pid, core);
  const router = await worker.createRouter({
    mediaCodecs: [
      { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
      { kind: 'video', mimeType: 'video/VP8', clockRate: 90000 },
    ],
  });
  const producers: types.Producer[] = [];
  return {
    async produce({ video, replayed = false }) {
      const transport = await router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: true, comedia: true });
      producers.push(await transport.produce({ kind: 'audio', rtpParameters: producerRtpParameters.audio }));
      if (video) producers.push(await transport.produce({ kind: 'video', rtpParameters: replayed ? replayedVideoRtpParameters : producerRtpParameters.video }));
      return { ip: '127.0.0.1', port: transport.tuple.localPort };
    },
    async addSink(port) {
      const transport = await router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: true, comedia: false });
      await transport.connect({ ip: '127.0.0.1', port });
      for (const producer of producers) {
        const consumer = await transport.consume({ producerId: producer.id, rtpCapabilities: withoutCongestionControl(router.rtpCapabilities), paused: true });
        if (consumer.type === 'simulcast') await consumer.setPreferredLayers({ spatialLayer: 0 });
        await consumer.resume();
      }
    },
    workerPids: () => [worker.pid],
    async close() {
      worker.close();
    },
  };
}

/** Kernels built without scheduler statistics have no schedstat files. */
const HAS_SCHEDSTAT = fs.existsSync('/proc/self/schedstat');

/** CPU time a process has used, in ms, at the scheduler's nanosecond resolution (the sum over
 * its threads of /proc/<pid>/task/<tid>/schedstat): the clock ticks of /proc/<pid>/stat count in
 * 10 ms steps, a few per cent of what a worker spends in a three-second window. */
export function cpuMs(pid: number): number {
  if (!HAS_SCHEDSTAT) return clockTicksMs(pid);
  let ns = 0;
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended between the listing and the read (a worker's threads live as long as it).
    }
  }
  return ns / 1e6;
}

function clockTicksMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime, in clock ticks (100 a second on Linux).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

export function rssKb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
}
