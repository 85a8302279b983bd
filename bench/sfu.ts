// SFU forwarding cost and capacity: one chair sending audio + 3-layer VP8 simulcast, N communes
// each taking audio and the lowest layer, through our server and through a bare mediasoup router
// of the same version; the worker pinned to one core. See bench/sfu/.
import { type Figure, figure, median, percentile } from './lib/figures';
import { type Generator, Sink, startGenerator } from './sfu/rtp';
import { type ForwardingTarget, allowedCores, bareSfu, cpuMs, ourSfu, pin, rssKb } from './sfu/targets';

const WORKER_CORE = 0;
const LOAD_CORE = 1;

interface Measurement {
  cpuUsPerPacket: number;
  packets: number;
  lossPercent: number;
  delayP50: number;
  delayP99: number;
  kbPerConsumer: number;
}

/** A briefing's shape: who sends (the chair plus communes on stage) and who only receives. */
interface Shape {
  communes: number;
  /** Communes on stage besides the chair: they send too, and every commune receives them. */
  onStage: number;
  audioOnly: boolean;
}

const chairToAll = (communes: number): Shape => ({ communes, onStage: 0, audioOnly: false });

async function measure(make: () => Promise<ForwardingTarget>, shape: Shape, windowMs: number): Promise<Measurement> {
  const target = await make();
  const sinks: Sink[] = [];
  const generators: Generator[] = [];
  try {
    // Every point reports its own link, as the app does: the server then asks its worker for a
    // point's figures only when a report is missing or doubtful.
    for (let i = 0; i <= shape.onStage; i++) {
      const sent = { bytes: () => 0 };
      const generator = startGenerator(await target.produce({ video: !shape.audioOnly, traffic: () => ({ bytesSent: sent.bytes(), bytesReceived: 0 }) }), { video: !shape.audioOnly });
      sent.bytes = () => generator.bytesSent();
      generators.push(generator);
    }
    await new Promise((r) => setTimeout(r, 500));
    const streamsPerCommune = (shape.onStage + 1) * (shape.audioOnly ? 1 : 2);
    const [mainWorker] = target.workerPids();
    const baseRss = rssKb(mainWorker);
    for (let i = 0; i < shape.communes; i++) {
      const sink = new Sink();
      sinks.push(sink);
      await target.addSink(await sink.bind(), () => ({ bytesSent: 0, bytesReceived: sink.bytesReceived }));
    }
    // Time for a key frame on the low layer, so every consumer is forwarding.
    await new Promise((r) => setTimeout(r, 2000));
    const rss = rssKb(mainWorker);
    sinks.forEach((s) => s.startCounting());
    const workerCpu = () => target.workerPids().reduce((sum, pid) => sum + cpuMs(pid), 0);
    const cpuBefore = workerCpu();
    await new Promise((r) => setTimeout(r, windowMs));
    const cpu = workerCpu() - cpuBefore;
    const stats = sinks.map((s) => s.finish());
    // A sink short of streams would make every figure here lighter than the briefing it names.
    const short = stats.filter((s) => s.streams < streamsPerCommune).length;
    if (short > 0) throw new Error(`${short} of ${sinks.length} communes received fewer than their ${streamsPerCommune} streams`);
    const packets = stats.reduce((n, s) => n + s.packets, 0);
    const missing = stats.reduce((n, s) => n + s.missing, 0);
    const delays = stats.flatMap((s) => s.delaysMs);
    return {
      cpuUsPerPacket: (cpu * 1000) / Math.max(1, packets),
      packets,
      lossPercent: (100 * missing) / Math.max(1, packets + missing),
      delayP50: percentile(delays, 50),
      delayP99: percentile(delays, 99),
      kbPerConsumer: (rss - baseRss) / (streamsPerCommune * shape.communes),
    };
  } finally {
    generators.forEach((g) => g.stop());
    sinks.forEach((s) => s.close());
    await target.close();
  }
}

/** Ours and the reference in turn, `runs` times each, starting with the other one every round. */
async function alternating(runs: number, ours: () => Promise<Measurement>, reference: () => Promise<Measurement>) {
  const a: Measurement[] = [];
  const b: Measurement[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      a.push(await ours());
      b.push(await reference());
    } else {
      b.push(await reference());
      a.push(await ours());
    }
  }
  const m = (list: Measurement[], key: keyof Measurement) => median(list.map((x) => x[key]));
  return { ours: (key: keyof Measurement) => m(a, key), reference: (key: keyof Measurement) => m(b, key) };
}

const fits = (m: Pick<Measurement, 'lossPercent' | 'delayP99'>) => m.lossPercent < 1 && m.delayP99 < 20;

export async function sfuBenchmark(quick: boolean, runs: number): Promise<Figure[]> {
  // The generator and sinks run here, on the other core; the other benchmarks get both back.
  // The cores are read before pinning: once pinned, the process sees only the one (until 3 Dec
  // 2026 the restore read them after, and every benchmark after this one ran on core 0).
  const cores = allowedCores();
  pin(process.pid, LOAD_CORE);
  try {
    return await forwarding(quick, runs);
  } finally {
    pin(process.pid, cores);
  }
}

async function forwarding(quick: boolean, runs: number): Promise<Figure[]> {
  const code = 'bench-chuyen-tiep';
  const ours = () => ourSfu(code, { workerCores: [WORKER_CORE], controlCore: LOAD_CORE });
  const bare = () => bareSfu(WORKER_CORE);
  const windowMs = quick ? 1500 : 3000;
  const common = { benchmark: 'sfu forwarding', runs, referenceName: 'bare mediasoup 3.12 router' };
  const cpuTarget = { on: 'ratio', op: '<=', value: 1.05, text: 'within 5% of bare' } as const;
  const lossTarget = { on: 'ours', op: '<=', value: 1, text: '< 1%' } as const;

  // Cost per forwarded packet at 40 communes.
  const forty = await alternating(runs, () => measure(ours, chairToAll(40), windowMs), () => measure(bare, chairToAll(40), windowMs));
  const figures = [
    figure({
      ...common,
      name: 'worker CPU per forwarded packet, 1 chair → 40 communes (audio + low layer)',
      unit: 'µs',
      ours: forty.ours('cpuUsPerPacket'),
      reference: forty.reference('cpuUsPerPacket'),
      target: cpuTarget,
    }),
    figure({ ...common, name: 'added delay p50, 40 communes', unit: 'ms', ours: forty.ours('delayP50'), reference: forty.reference('delayP50'), target: null }),
    figure({ ...common, name: 'added delay p99, 40 communes', unit: 'ms', ours: forty.ours('delayP99'), reference: forty.reference('delayP99'), target: { on: 'ours', op: '<=', value: 20, text: '< 20 ms' } }),
    figure({ ...common, name: 'loss, 40 communes', unit: '%', ours: forty.ours('lossPercent'), reference: forty.reference('lossPercent'), target: lossTarget }),
    figure({ ...common, name: 'worker memory per consumer', unit: 'KiB', ours: forty.ours('kbPerConsumer'), reference: forty.reference('kbPerConsumer'), target: null }),
  ];

  // The chair and 4 communes on stage, each commune receiving all five (audio + low layer).
  const stage: Shape = { communes: 40, onStage: 4, audioOnly: false };
  const staged = await alternating(runs, () => measure(ours, stage, windowMs), () => measure(bare, stage, windowMs));
  figures.push(
    figure({ ...common, name: 'worker CPU per forwarded packet, chair + 4 communes on stage → 40 communes', unit: 'µs', ours: staged.ours('cpuUsPerPacket'), reference: staged.reference('cpuUsPerPacket'), target: cpuTarget }),
    figure({ ...common, name: 'added delay p99, 4 on stage, 40 communes', unit: 'ms', ours: staged.ours('delayP99'), reference: staged.reference('delayP99'), target: { on: 'ours', op: '<=', value: 20, text: '< 20 ms' } }),
  );

  // Audio only (the fallback of a weak briefing): 200 communes hearing the chair.
  const audio: Shape = { communes: 200, onStage: 0, audioOnly: true };
  const heard = await alternating(runs, () => measure(ours, audio, windowMs), () => measure(bare, audio, windowMs));
  figures.push(
    figure({ ...common, name: 'worker CPU per forwarded packet, audio only, 200 communes', unit: 'µs', ours: heard.ours('cpuUsPerPacket'), reference: heard.reference('cpuUsPerPacket'), target: cpuTarget }),
    figure({ ...common, name: 'loss, audio only, 200 communes', unit: '%', ours: heard.ours('lossPercent'), reference: heard.reference('lossPercent'), target: lossTarget }),
  );

  // Capacity: the largest N that still fits, ours and bare; one run for each smaller N, the
  // median of the alternating runs at 200 (where it is decided, and where one run is noisy).
  const shapes = quick ? [200] : [15, 40, 100, 200];
  const largest = { ours: 0, bare: 0 };
  const sweep: string[] = [];
  let ours200: Measurement | undefined;
  for (const n of shapes) {
    const pair = await alternating(n === 200 ? runs : 1, () => measure(ours, chairToAll(n), windowMs), () => measure(bare, chairToAll(n), windowMs));
    const o = { lossPercent: pair.ours('lossPercent'), delayP99: pair.ours('delayP99'), cpuUsPerPacket: pair.ours('cpuUsPerPacket') };
    const r = { lossPercent: pair.reference('lossPercent'), delayP99: pair.reference('delayP99') };
    if (n === 200) ours200 = { ...o, packets: 0, delayP50: pair.ours('delayP50'), kbPerConsumer: pair.ours('kbPerConsumer') };
    if (fits(o)) largest.ours = n;
    if (fits(r)) largest.bare = n;
    sweep.push(`N=${n}: ours ${o.lossPercent.toFixed(2)}% loss, p99 ${o.delayP99.toFixed(1)} ms; bare ${r.lossPercent.toFixed(2)}%, p99 ${r.delayP99.toFixed(1)} ms`);
  }
  process.stdout.write(`[bench] sfu sweep: ${sweep.join(' | ')}\n`);
  figures.push(
    figure({
      ...common,
      runs: 1,
      name: `largest N under 1% loss and p99 < 20 ms, of ${shapes.join('/')}`,
      unit: 'communes',
      ours: largest.ours,
      reference: largest.bare,
      target: { on: 'ours', op: '>=', value: 200, text: '200 on one core' },
      note: `one run per N below 200, the median of ${runs} at 200`,
    }),
  );

  // 200 communes on one worker vs. spread over two (100 points per worker, pipeToRouter between them).
  const two = await measure(() => ourSfu(code, { workerCores: [WORKER_CORE, LOAD_CORE], controlCore: LOAD_CORE, pointsPerWorker: 100 }), chairToAll(200), windowMs);
  const one = ours200 ?? (await measure(ours, chairToAll(200), windowMs));
  const scaling = { ...common, runs: 1, referenceName: 'ours on 1 worker', note: 'one run each; the second worker shares its core with the generator and sinks' };
  figures.push(
    figure({ ...scaling, name: 'added delay p99, 200 communes on 2 workers', unit: 'ms', ours: two.delayP99, reference: one.delayP99, target: { on: 'ours', op: '<=', value: 20, text: '< 20 ms' } }),
    figure({ ...scaling, name: 'worker CPU per forwarded packet, 200 communes on 2 workers (both workers)', unit: 'µs', ours: two.cpuUsPerPacket, reference: one.cpuUsPerPacket, target: null }),
  );
  return figures;
}
