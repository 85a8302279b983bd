// A briefing in cascade: a central server whose chair sends sound and 3-layer video (generated
// RTP), a province server relaying it over a pipe transport to its communes (plain-RTP sinks
// taking the thumbnail layer). Measured in one run, beside their references: the delay one
// hop adds, the bytes crossing the link with 1 and with 100 communes behind it (it must not
// grow), and the province worker's CPU relaying to 100 communes against a server hosting them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type SfuServer, startSfuServer } from '../sfu-server/src/SfuServer';
import { publishInvites } from '../tests/support/invitations';
import { TestClient } from '../tests/support/sfuTestClient';
import { type Figure, figure, median, percentile } from './lib/figures';
import { type Generator, Sink, producerRtpParameters, startGenerator } from './sfu/rtp';
import { cpuMs } from './sfu/targets';

const POINTS = Array.from({ length: 110 }, (_, i) => `Xã ${i + 1}`);

interface Bench {
  servers: SfuServer[];
  clients: TestClient[];
  sinks: Sink[];
  generators: Generator[];
}

async function server(bench: Bench): Promise<SfuServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-bench-cascade-'));
  const s = await startSfuServer({ host: '127.0.0.1', port: 0, mediaAddresses: [{ ip: '127.0.0.1' }], mediaPort: 0, workers: 1, dataDir, allowPlainRtp: true, maxPoints: 1000 });
  bench.servers.push(s);
  return s;
}

async function ok(client: TestClient, method: string, data: unknown = {}): Promise<any> {
  const reply = await client.request(method, data);
  if (!reply.ok) throw new Error(`${method}: ${reply.error?.message}`);
  return reply.data;
}

/** A point seated with its code, receiving the streams `streams` names (video at the thumbnail
 * layer). */
async function sink(bench: Bench, s: SfuServer, code: string, seat: string, credential: string, streams: (client: TestClient) => Promise<string[]>): Promise<Sink> {
  const client = await TestClient.connect(s.url);
  bench.clients.push(client);
  const joined = await client.join(code, seat, { credential });
  if (!joined.ok) throw new Error(`join: ${joined.error?.message}`);
  const producerIds = await streams(client);
  const receiving = new Sink();
  bench.sinks.push(receiving);
  const port = await receiving.bind();
  const transport = await ok(client, 'createPlainTransport', { direction: 'recv' });
  await ok(client, 'connectPlainTransport', { transportId: transport.id, ip: '127.0.0.1', port });
  const made = await ok(client, 'consumeMany', { transportId: transport.id, producers: producerIds.map((producerId) => ({ producerId, wish: { spatialLayer: 0 } })) });
  await ok(client, 'resumeConsumers', { consumerIds: made.consumers.map((c: { consumerId: string }) => c.consumerId) });
  return receiving;
}

/** The upper chair's streams as the province shows them, once the link has brought both. */
async function upperStreams(client: TestClient): Promise<string[]> {
  for (let waited = 0; waited < 20_000; waited += 100) {
    const live = new Map<string, string[]>();
    for (const peer of client.lastJoin.peers) live.set(peer.id, peer.producers.map((p: { id: string }) => p.id));
    for (const n of client.notifications) {
      if (n.notification === 'peerJoined') live.set(n.data.peer.id, n.data.peer.producers.map((p: { id: string }) => p.id));
      if (n.notification === 'producerAdded') live.set(n.data.peerId, [...(live.get(n.data.peerId) ?? []), n.data.producer.id]);
    }
    const chair = [...live.values()].find((ids) => ids.length === 2);
    if (chair) return chair;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the province never showed the upper chair’s two streams');
}

interface Run {
  directDelays: number[];
  relayedDelays: number[];
  linkKbps: (communes: number) => Promise<number>;
  provinceCpuMsPerS: (windowMs: number) => Promise<number>;
  centralCpuMsPerS: (windowMs: number) => Promise<number>;
  addProvinceSinks: (count: number) => Promise<void>;
  addCentralSinks: (count: number) => Promise<void>;
}

async function cascade(bench: Bench, windowMs: number): Promise<Run> {
  const central = await server(bench);
  const national = await publishInvites(central, 'do-chuyen-tiep', POINTS, { servers: ['Tỉnh đo thử'] });
  const chair = await TestClient.connect(central.url);
  bench.clients.push(chair);
  await chair.join('do-chuyen-tiep', national.chairSeat, { credential: national.chair });
  const send = await ok(chair, 'createPlainTransport', { direction: 'send' });
  const produced = [await ok(chair, 'produce', { transportId: send.id, kind: 'audio', source: 'mic', rtpParameters: producerRtpParameters.audio }), await ok(chair, 'produce', { transportId: send.id, kind: 'video', source: 'camera', rtpParameters: producerRtpParameters.video })].map((p: { producerId: string }) => p.producerId);
  bench.generators.push(startGenerator({ ip: send.ip, port: send.port }));

  const province = await server(bench);
  const local = await publishInvites(province, 'tinh-do', POINTS);
  const link = await province.cascade.add({ localBriefing: 'tinh-do', upperUrl: central.url, upperBriefing: 'do-chuyen-tiep', inviteCode: national.relays['Tỉnh đo thử'], caFingerprint: null });
  const freeLocal = [...POINTS];
  const freeCentral = [...POINTS];
  const addProvinceSinks = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const seat = freeLocal.shift() ?? '';
      await sink(bench, province, 'tinh-do', seat, local.points[seat], upperStreams);
    }
  };
  const addCentralSinks = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const seat = freeCentral.shift() ?? '';
      await sink(bench, central, 'do-chuyen-tiep', seat, national.points[seat], () => Promise.resolve(produced));
    }
  };
  // One commune on each side, to compare the delay of the hop.
  const direct = await sink(bench, central, 'do-chuyen-tiep', freeCentral.shift() ?? '', national.points[POINTS[0]], () => Promise.resolve(produced));
  await addProvinceSinks(1);
  const relayed = bench.sinks[bench.sinks.length - 1];
  await new Promise((r) => setTimeout(r, 2000));
  direct.startCounting();
  relayed.startCounting();
  await new Promise((r) => setTimeout(r, windowMs));
  const cpuPerS = (pid: number) => async (ms: number) => {
    const before = cpuMs(pid);
    await new Promise((r) => setTimeout(r, ms));
    return ((cpuMs(pid) - before) * 1000) / ms;
  };
  return {
    directDelays: direct.finish().delaysMs,
    relayedDelays: relayed.finish().delaysMs,
    linkKbps: async () => {
      const before = (await province.cascade.pipeBytes()).get(link.id)?.received ?? 0;
      await new Promise((r) => setTimeout(r, windowMs));
      const after = (await province.cascade.pipeBytes()).get(link.id)?.received ?? 0;
      return ((after - before) * 8) / windowMs;
    },
    provinceCpuMsPerS: cpuPerS(province.pool.workerPids()[0]),
    centralCpuMsPerS: cpuPerS(central.pool.workerPids()[0]),
    addProvinceSinks,
    addCentralSinks,
  };
}

async function once(windowMs: number) {
  const bench: Bench = { servers: [], clients: [], sinks: [], generators: [] };
  try {
    const run = await cascade(bench, windowMs);
    const kbpsOne = await run.linkKbps(1);
    await run.addProvinceSinks(99);
    await new Promise((r) => setTimeout(r, 2000));
    const kbpsHundred = await run.linkKbps(100);
    const relaying = await run.provinceCpuMsPerS(windowMs);
    // The same 100 communes hosted by the central server itself, from the same stream (which it
    // also sends up the one link, as the province receives it once).
    await run.addCentralSinks(99);
    await new Promise((r) => setTimeout(r, 2000));
    const hosting = await run.centralCpuMsPerS(windowMs);
    return {
      hopP50: percentile(run.relayedDelays, 50) - percentile(run.directDelays, 50),
      hopP99: percentile(run.relayedDelays, 99) - percentile(run.directDelays, 99),
      directP50: percentile(run.directDelays, 50),
      directP99: percentile(run.directDelays, 99),
      relayedP50: percentile(run.relayedDelays, 50),
      relayedP99: percentile(run.relayedDelays, 99),
      kbpsOne,
      kbpsHundred,
      relaying,
      hosting,
    };
  } finally {
    bench.generators.forEach((g) => g.stop());
    bench.sinks.forEach((s) => s.close());
    bench.clients.forEach((c) => c.close());
    await Promise.all(bench.servers.map((s) => s.close()));
  }
}

export async function cascadeBenchmark(quick: boolean, runs: number): Promise<Figure[]> {
  const windowMs = quick ? 2000 : 4000;
  const results: Awaited<ReturnType<typeof once>>[] = [];
  for (let i = 0; i < Math.min(runs, 3); i++) results.push(await once(windowMs));
  const m = (key: keyof (typeof results)[number]) => median(results.map((r) => r[key]));
  const common = { benchmark: 'cascade', runs: results.length };
  return [
    figure({ ...common, name: 'delay p50 at a commune, through one province server vs straight from the central server', unit: 'ms', ours: m('relayedP50'), reference: m('directP50'), referenceName: 'a commune on the central server', target: null, note: `the hop adds ${m('hopP50').toFixed(2)} ms` }),
    figure({ ...common, name: 'delay p99 at a commune, through one province server vs straight', unit: 'ms', ours: m('relayedP99'), reference: m('directP99'), referenceName: 'a commune on the central server', target: null, note: `the hop adds ${m('hopP99').toFixed(2)} ms` }),
    figure({ ...common, name: 'central → province link with 100 communes behind it vs with 1', unit: 'kbit/s', ours: m('kbpsHundred'), reference: m('kbpsOne'), referenceName: '1 commune behind it', target: { on: 'ratio', op: '<=', value: 1.05, text: 'does not grow with the communes' } }),
    figure({ ...common, name: 'worker CPU: a province server relaying to 100 communes vs a server hosting them', unit: 'ms CPU/s', ours: m('relaying'), reference: m('hosting'), referenceName: 'the central server with the 100 on it', target: null }),
  ];
}
