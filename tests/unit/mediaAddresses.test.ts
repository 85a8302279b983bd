// The addresses a server receives media on. A PC (or a province's server) lists addresses the
// server cannot use: more than one media port listens on (a VPN, a Docker bridge, IPv6 privacy
// addresses), or one still being checked for duplicates. Left to its defaults the server starts
// on those it can use and says which it left out; addresses an IT officer names are used as named.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_MEDIA_ADDRESSES, startSfuServer } from '../../sfu-server';
import { configFromCommandLine } from '../../sfu-server/src/config';
import { canMakeNetworkNamespaces } from '../support/netns';

const root = path.resolve(import.meta.dirname, '..', '..');
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.reverse().forEach((cleanup) => cleanup()));

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

/** A machine of its own (a network namespace) listing six IPv4 addresses and an IPv6 address it
 * keeps checking for duplicates for about a minute: listed, not yet bindable. */
function crowdedMachine(namespace: string): { ipv4: string[]; checking: string } {
  // What an interrupted earlier run left behind.
  try {
    ip('netns', 'del', namespace);
  } catch {
    // none was left
  }
  ip('netns', 'add', namespace);
  cleanups.push(() => execFileSync('ip', ['netns', 'del', namespace], { stdio: 'ignore' }));
  ip('-n', namespace, 'link', 'set', 'lo', 'up');
  ip('-n', namespace, 'link', 'add', 'gba', 'type', 'veth', 'peer', 'name', 'gbb');
  const ipv4 = [1, 2, 3, 4, 5, 6].map((n) => `10.232.0.${n}`);
  for (const address of ipv4) ip('-n', namespace, 'addr', 'add', `${address}/24`, 'dev', 'gba');
  execFileSync('ip', ['netns', 'exec', namespace, 'sysctl', '-qw', 'net.ipv6.conf.gbb.dad_transmits=60']);
  ip('-n', namespace, 'link', 'set', 'gba', 'up');
  ip('-n', namespace, 'link', 'set', 'gbb', 'up');
  const checking = 'fd00:7a::9';
  ip('-n', namespace, 'addr', 'add', `${checking}/64`, 'dev', 'gbb');
  return { ipv4, checking };
}

/** Runs the standalone server as an IT officer does, with no media address named, until it
 * says where it serves (or exits). */
function startStandalone(namespace: string, dataDir: string): Promise<{ output: string; child: ChildProcess }> {
  const child = spawn('ip', ['netns', 'exec', namespace, process.execPath, '--import', 'tsx', 'sfu-server/src/cli.ts', '--port', '0', '--media-port', '0', '--workers', '1', '--insecure-ws', '--data-dir', dataDir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.push(() => child.kill('SIGKILL'));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server said nothing of its media in 30 s:\n${output}`)), 30_000);
    const read = (d: Buffer) => {
      output += d;
      if (/\[sfu\] media on .*\n/.test(output)) {
        clearTimeout(timer);
        resolve({ output, child });
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}):\n${output}`));
    });
  });
}

describe('media addresses', () => {
  it('left to its defaults on a machine listing more addresses than it can serve, the server starts and names those it left out', async () => {
    // Not skipped: CI runs as root; a machine that cannot make namespaces must say so.
    if (!canMakeNetworkNamespaces()) throw new Error('this test needs root and `ip` (iproute2) to make a machine of its own');
    const namespace = `giaoban-addr-${process.pid}`;
    const { ipv4, checking } = crowdedMachine(namespace);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-addr-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const { output } = await startStandalone(namespace, dataDir);
    const served = /\[sfu\] media on (.*) UDP\+TCP/.exec(output)?.[1].split(', ') ?? [];
    // The first three of this machine's addresses and its loopback, for the same PC.
    expect(served).toEqual([...ipv4.slice(0, MAX_MEDIA_ADDRESSES - 1), '127.0.0.1']);
    for (const address of ipv4.slice(MAX_MEDIA_ADDRESSES - 1)) expect(output).toContain(`media not served on ${address} (beyond the 4 addresses one media port listens on)`);
    expect(output).toMatch(new RegExp(`media not served on ${checking} \\(.*EADDRNOTAVAIL`));
    // And it serves: signaling answers inside that machine.
    const url = /signaling on .* \((ws:\/\/[^)]+)\)/.exec(output)?.[1];
    expect(url).toBeDefined();
    const ask = `fetch(${JSON.stringify(`${url!.replace('ws:', 'http:')}/health`)}).then((r) => r.text()).then((t) => process.stdout.write(t))`;
    const health = execFileSync('ip', ['netns', 'exec', namespace, process.execPath, '-e', ask]).toString();
    expect(JSON.parse(health).mediaPorts).toHaveLength(1);
  }, 60_000);

  it('refuses more named addresses than one media port serves, saying why, before starting anything', async () => {
    const five = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5'];
    expect(() => configFromCommandLine(five.flatMap((a) => ['--media-ip', a]), {})).toThrow(/at most 4 media addresses/);
    await expect(startSfuServer({ port: 0, mediaAddresses: five.map((a) => ({ ip: a })), mediaPort: 0, workers: 1 })).rejects.toThrow(/at most 4 media addresses/);
  });
});
