// The SFU server as its own process (`tsx sfu-server/src/cli.ts`), as operators run it: for the
// end-to-end tests and the benchmarks.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runConsoleCommand } from '../../sfu-server/src/console';

const root = path.resolve(import.meta.dirname, '..', '..');

export interface RunningSfu {
  url: string;
  /** An organizer key made on the server's console before it started, as an operator does. */
  organizerKey: string;
  port: number;
  dataDir: string;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** `namespace`: run inside that network namespace (a province server on its own test host). */
export async function startSfuProcess(options: { port?: number; dataDir?: string; extraArgs?: string[]; namespace?: string } = {}): Promise<RunningSfu> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-sfu-'));
  let printed = '';
  await runConsoleCommand(['organizer', 'add', 'UBND thử nghiệm', '--data-dir', dataDir], {}, (line) => (printed += `${line}\n`));
  const organizerKey = /key[^:]*: (GBTC-\S+)/.exec(printed)?.[1];
  if (!organizerKey) throw new Error(`no organizer key was printed:\n${printed}`);
  // Node itself with tsx's loader (not the tsx launcher, which runs Node as a child): the
  // process the test holds is the server, whose memory and life the hostile-traffic test reads.
  // `ip netns exec` enters the namespace and execs Node in the same process.
  const inNamespace = options.namespace ? ['netns', 'exec', options.namespace, process.execPath] : [];
  const child = spawn(
    options.namespace ? 'ip' : process.execPath,
    [
      ...inNamespace,
      '--import',
      'tsx',
      'sfu-server/src/cli.ts',
      ...['--host', '127.0.0.1', '--port', String(options.port ?? 0), '--media-ip', '127.0.0.1', '--media-port', '0', '--workers', '1'],
      ...['--data-dir', dataDir],
      // Every test point connects from 127.0.0.1; in the field each meeting point has its own address.
      ...(options.extraArgs?.includes('--max-connections-per-address') ? [] : ['--max-connections-per-address', '1000']),
      // Plain WS unless the test asks for TLS.
      ...(options.extraArgs?.includes('--tls-dir') ? [] : ['--insecure-ws']),
      ...(options.extraArgs ?? []),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => {
    output += d;
    process.stderr.write(`[sfu] ${d}`);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`SFU did not start:\n${output}`)), 30_000);
    child.stdout.on('data', () => {
      const match = /\((wss?:\/\/[^)]+)\)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`SFU exited with ${code}:\n${output}`)));
  });
  let stopping = false;
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`the SFU exited unexpectedly (${code ?? signal}):\n${output}`);
  });
  const stop = async () => {
    stopping = true;
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return { url, organizerKey, port: Number(new URL(url).port), dataDir, process: child, output: () => output, stop };
}

