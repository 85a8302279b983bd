// SFU forwarding cost and capacity: one chair sending audio + 3-layer VP8 simulcast, N communes
// each taking audio and the lowest layer, through our server and through a bare mediasoup router
// of the same version; the worker pinned to one core. See bench/sfu/.
import os from 'node:os';
import { type Figure, figure, median, percentile } from './lib/figures';
import { Sink, startGenerator } from './sfu/rtp';
import { type ForwardingTarget, bareSfu, cpuMs, ourSfu, pin, rssKb } from './sfu/targets';

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

async function measure(make: () => Promise<ForwardingTarget>, communes: number, windowMs: number): Promise<Measurement> {
  const target = await make();
  const sinks: Sink[] = [];
  const generator = startGenerator(await target.produce());
  try {
    await new Promise((r) => setTimeout(r, 500));
    const baseRss = rssKb(target.workerPid());
    for (let i = 0; i < communes; i++) {
      const sink = new Sink();
      sinks.push(sink);
      await target.addSink(await sink.bind());
    }
    // Time for a key frame on the low layer, so every consumer is forwarding.
    await new Promise((r) => setTimeout(r, 2000));
    const rss = rssKb(target.workerPid());
    sinks.forEach((s) => s.startCounting());
    const cpuBefore = cpuMs(target.workerPid());
    await new Promise((r) => setTimeout(r, windowMs));
    const cpu = cpuMs(target.workerPid()) - cpuBefore;
    const stats = sinks.map((s) => s.finish());
    const packets = stats.reduce((n, s) => n + s.packets, 0);
    const missing = stats.reduce((n, s) => n + s.missing, 0);
    const delays = stats.flatMap((s) => s.delaysMs);
    return {
      cpuUsPerPacket: (cpu * 1000) / Math.max(1, packets),
      packets,
      lossPercent: (100 * missing) / Math.max(1, packets + missing),
      delayP50: percentile(delays, 50),
      delayP99: percentile(delays, 99),
      kbPerConsumer: (rss - baseRss) / (2 * communes),
    };
  } finally {
    generator.stop();
    sinks.forEach((s) => s.close());
    await target.close();
  }
}

const fits = (m: Measurement) => m.lossPercent < 1 && m.delayP99 < 20;

export async function sfuBenchmark(quick: boolean, runs: number): Promise<Figure[]> {
  // The generator and sinks run here, on the other core; the other benchmarks get both back.
  pin(process.pid, LOAD_CORE);
  try {
    return await forwarding(quick, runs);
  } finally {
    pin(process.pid, `0-${os.availableParallelism() - 1}`);
  }
}

async function forwarding(quick: boolean, runs: number): Promise<Figure[]> {
  const code = 'bench-chuyen-tiep';
  const ours = () => ourSfu(code, WORKER_CORE);
  const bare = () => bareSfu(WORKER_CORE);
  const windowMs = quick ? 3000 : 6000;

  // Cost per forwarded packet at 40 communes, alternating ours and bare.
  const a: Measurement[] = [];
  const b: Measurement[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      a.push(await measure(ours, 40, windowMs));
      b.push(await measure(bare, 40, windowMs));
    } else {
      b.push(await measure(bare, 40, windowMs));
      a.push(await measure(ours, 40, windowMs));
    }
  }
  const m = (list: Measurement[], key: keyof Measurement) => median(list.map((x) => x[key]));

  // Capacity: the largest N that still fits, ours and bare, one run each (a sweep, not a median).
  const shapes = quick ? [15, 100] : [15, 40, 100, 200];
  const largest = { ours: 0, bare: 0 };
  const sweep: string[] = [];
  for (const n of shapes) {
    const o = await measure(ours, n, windowMs);
    const r = await measure(bare, n, windowMs);
    if (fits(o)) largest.ours = n;
    if (fits(r)) largest.bare = n;
    sweep.push(`N=${n}: ours ${o.lossPercent.toFixed(2)}% loss, p99 ${o.delayP99.toFixed(1)} ms; bare ${r.lossPercent.toFixed(2)}%, p99 ${r.delayP99.toFixed(1)} ms`);
  }
  process.stdout.write(`[bench] sfu sweep: ${sweep.join(' | ')}\n`);

  const common = { benchmark: 'sfu forwarding', runs, referenceName: 'bare mediasoup 3.12 router' };
  return [
    figure({
      ...common,
      name: 'worker CPU per forwarded packet, 1 chair → 40 communes (audio + low layer)',
      unit: 'µs',
      ours: m(a, 'cpuUsPerPacket'),
      reference: m(b, 'cpuUsPerPacket'),
      target: { on: 'ratio', op: '<=', value: 1.05, text: 'within 5% of bare' },
    }),
    figure({ ...common, name: 'added delay p50, 40 communes', unit: 'ms', ours: m(a, 'delayP50'), reference: m(b, 'delayP50'), target: null }),
    figure({ ...common, name: 'added delay p99, 40 communes', unit: 'ms', ours: m(a, 'delayP99'), reference: m(b, 'delayP99'), target: { on: 'ours', op: '<=', value: 20, text: '< 20 ms' } }),
    figure({ ...common, name: 'loss, 40 communes', unit: '%', ours: m(a, 'lossPercent'), reference: m(b, 'lossPercent'), target: { on: 'ours', op: '<=', value: 1, text: '< 1%' } }),
    figure({ ...common, name: 'worker memory per consumer', unit: 'KiB', ours: m(a, 'kbPerConsumer'), reference: m(b, 'kbPerConsumer'), target: null }),
    figure({
      ...common,
      runs: 1,
      name: `largest N under 1% loss and p99 < 20 ms, of ${shapes.join('/')}`,
      unit: 'communes',
      ours: largest.ours,
      reference: largest.bare,
      target: { on: 'ours', op: '>=', value: 200, text: '200 on one core' },
      note: 'one run per N',
    }),
  ];
}
