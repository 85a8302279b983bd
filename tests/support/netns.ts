// A commune's PC on its own network, for the broken-link tests: a network namespace the test
// makes (`ip netns`), joined to this machine by a veth pair on a private /29 that exists only
// here. The app (its local host) and its Chromium run inside the namespace, so everything the
// commune sends crosses that link. A cut is a kernel firewall (nftables) in the namespace that
// drops every packet, as a dead 3G cell does; delay and loss come from the LinkEmulator on the
// relay address, since this kernel has no sch_netem. Needs root (CI runs as root).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

function run(...args: string[]): void {
  execFileSync(args[0], args.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
}

export function canMakeNetworkNamespaces(): boolean {
  try {
    return process.getuid?.() === 0 && fs.existsSync('/usr/sbin/ip') && fs.existsSync('/usr/sbin/nft');
  } catch {
    return false;
  }
}

/** The subnets tests make test hosts on (`TestHost.create(subnet)`), and the addresses on this
 * machine's end of them, where a server is reached: what the test CA vouches for. */
export const TEST_SUBNETS = [1, 2, 3, 4, 5, 6, 7, 8, 9];
export const linkTestAddresses = (): string[] => TEST_SUBNETS.flatMap((subnet) => [`10.231.${subnet}.1`, `10.231.${subnet}.5`]);

export class TestHost {
  /** This machine's end of the link: the SFU listens here for the commune. */
  readonly hostIp: string;
  readonly pointIp: string;
  /** A second address on this machine's end, where the LinkEmulator listens. */
  readonly relayIp: string;
  private readonly hostDev: string;
  private readonly pointDev: string;
  private app: ChildProcess | undefined;
  private readonly dirs: string[] = [];

  private constructor(
    readonly namespace: string,
    subnet: number,
  ) {
    this.hostIp = `10.231.${subnet}.1`;
    this.pointIp = `10.231.${subnet}.2`;
    this.relayIp = `10.231.${subnet}.5`;
    this.hostDev = `gbh${subnet}`;
    this.pointDev = `gbp${subnet}`;
  }

  static create(subnet: number): TestHost {
    const host = new TestHost(`giaoban-test-${subnet}`, subnet);
    host.destroy(); // what an interrupted earlier run left behind
    run('ip', 'netns', 'add', host.namespace);
    run('ip', 'link', 'add', host.hostDev, 'type', 'veth', 'peer', 'name', host.pointDev);
    run('ip', 'link', 'set', host.pointDev, 'netns', host.namespace);
    run('ip', 'addr', 'add', `${host.hostIp}/29`, 'dev', host.hostDev);
    run('ip', 'addr', 'add', `${host.relayIp}/29`, 'dev', host.hostDev);
    run('ip', 'link', 'set', host.hostDev, 'up');
    host.inside('ip', 'addr', 'add', `${host.pointIp}/29`, 'dev', host.pointDev);
    host.inside('ip', 'link', 'set', host.pointDev, 'up');
    host.inside('ip', 'link', 'set', 'lo', 'up');
    return host;
  }

  inside(...args: string[]): void {
    run('ip', 'netns', 'exec', this.namespace, ...args);
  }

  /** The link carries nothing (a cut cable, a dead 3G cell) until `restore`: every packet in or
   * out of the namespace's link is dropped without a word, so neither side is told. */
  cut(): void {
    this.inside('nft', 'add', 'table', 'inet', 'giaoban_cut');
    for (const hook of ['input', 'output']) {
      this.inside('nft', 'add', 'chain', 'inet', 'giaoban_cut', hook, `{ type filter hook ${hook} priority 0; policy accept; }`);
      this.inside('nft', 'add', 'rule', 'inet', 'giaoban_cut', hook, hook === 'input' ? 'iifname' : 'oifname', this.pointDev, 'drop');
    }
  }

  restore(): void {
    this.inside('nft', 'delete', 'table', 'inet', 'giaoban_cut');
  }

  /** Starts the commune's app (the local host mode) inside the namespace; returns its address. */
  async startApp(): Promise<string> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-netns-'));
    this.dirs.push(dataDir);
    const child = spawn('ip', ['netns', 'exec', this.namespace, process.execPath, '--import', 'tsx', 'main/host/cli.ts'], {
      cwd: root,
      env: { ...process.env, GIAOBAN_DATA_DIR: dataDir, GIAOBAN_WEB_PORT: '0', CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.app = child;
    let output = '';
    child.stderr.on('data', (d) => (output += d));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the commune's app did not start:\n${output}`)), 30_000);
      child.stdout.on('data', (d) => {
        output += d;
        const match = /(http:\/\/\S+#token=\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.on('exit', (code) => reject(new Error(`the commune's app exited (${code}):\n${output}`)));
    });
  }

  /** A Chromium that runs inside the namespace (Playwright drives it over pipes, which cross). */
  chromiumWrapper(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-chromium-'));
    this.dirs.push(dir);
    const file = path.join(dir, 'chromium');
    const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    fs.writeFileSync(file, `#!/bin/sh\nexec ip netns exec ${this.namespace} ${chromium} "$@"\n`, { mode: 0o755 });
    return file;
  }

  destroy(): void {
    this.app?.kill('SIGKILL');
    this.app = undefined;
    try {
      run('ip', 'link', 'del', this.hostDev);
    } catch {
      // not there
    }
    try {
      run('ip', 'netns', 'del', this.namespace);
    } catch {
      // not there
    }
    for (const dir of this.dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  }
}
