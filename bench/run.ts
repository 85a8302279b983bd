// npm run bench [-- --quick] [-- --only documents,minutes]: every benchmark on this machine,
// each figure beside a reference measured in the same run, written to bench/results/ as
// Markdown and JSON. Not part of CI's pass/fail.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { browserBenchmark } from './browser';
import { cascadeBenchmark } from './cascade';
import { documentsBenchmark } from './documents';
import { hostileBenchmark } from './hostile';
import type { Figure } from './lib/figures';
import { markdownTable } from './lib/figures';
import { minutesBenchmark } from './minutes';
import { provinceBenchmark } from './province';
import { weakLinkBenchmark } from './weakLink';
import { sfuBenchmark } from './sfu';
import { allowedCores, pin } from './sfu/targets';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
// The quick run is a smaller version: fewer rounds, shorter windows.
const runs = quick ? 1 : 5;

const benchmarks: Record<string, (quick: boolean, runs: number) => Promise<Figure[]>> = {
  sfu: sfuBenchmark,
  documents: documentsBenchmark,
  minutes: minutesBenchmark,
  browser: browserBenchmark,
  hostile: hostileBenchmark,
  province: provinceBenchmark,
  'weak-link': weakLinkBenchmark,
  cascade: cascadeBenchmark,
};

const started = Date.now();
// Every benchmark starts on the cores the run was given: one left pinned by another measures a
// different machine (until 3 Dec 2026 every benchmark after the SFU's ran on one core of two).
const cores = allowedCores();
const figures: Figure[] = [];
const failures: string[] = [];
for (const [name, run] of Object.entries(benchmarks)) {
  if (only && !only.includes(name)) continue;
  const t0 = Date.now();
  process.stdout.write(`[bench] ${name}…\n`);
  try {
    figures.push(...(await run(quick, runs)));
  } catch (error) {
    failures.push(`${name}: ${(error as Error).message}`);
    console.error(`[bench] ${name} failed:`, error);
  }
  process.stdout.write(`[bench] ${name} done in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  const left = allowedCores();
  if (left !== cores) {
    failures.push(`${name}: left the bench on cores ${left} of ${cores}; given them back`);
    pin(process.pid, cores);
  }
}

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const header = `Run ${new Date().toISOString()}${quick ? ' (quick)' : ''} on ${machine}; ${quick ? 'one run of each' : `median of ${runs} alternating runs`} unless noted; ${((Date.now() - started) / 1000).toFixed(0)} s in all.`;
const markdown = markdownTable(figures, header) + (failures.length ? `\nFailed: ${failures.join('; ')}\n` : '');
const dir = path.join(import.meta.dirname, 'results');
fs.mkdirSync(dir, { recursive: true });
// A run of some benchmarks only does not replace the full run's figures the README quotes.
const stem = `latest${quick ? '-quick' : ''}${only ? `-${only.join('-')}` : ''}`;
fs.writeFileSync(path.join(dir, `${stem}.md`), markdown);
fs.writeFileSync(path.join(dir, `${stem}.json`), JSON.stringify({ header, quick, machine, figures, failures }, null, 2) + '\n');
process.stdout.write(`\n${markdown}`);
process.exit(failures.length ? 1 : 0);
