// A server on another machine only over TLS: the page refuses a clear-text address, the desktop
// services send nothing to one (no invite code or organizer key in clear on a shared network),
// and the Content Security Policy lets the page open plain WebSockets to loopback only.
import net from 'node:net';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../main/api/contract';
import { serverAddressProblem } from '../../main/api/serverAddress';
import { CONTENT_SECURITY_POLICY } from '../../main/security';
import { DesktopServices } from '../../main/services/DesktopServices';
import { bindableAddresses, startSfuServer } from '../../sfu-server';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('server addresses', () => {
  it('takes wss:// anywhere and ws:// only to this PC', () => {
    expect(serverAddressProblem('wss://10.0.0.5:7080')).toBeNull();
    expect(serverAddressProblem('wss://giaoban.sonla.gov.vn')).toBeNull();
    for (const local of ['ws://127.0.0.1:7080', 'ws://localhost:7080', 'ws://127.8.0.1']) expect(serverAddressProblem(local)).toBeNull();
    for (const remote of ['ws://10.0.0.5:7080', 'ws://giaoban.sonla.gov.vn', 'ws://127.0.0.1.evil.vn', 'ws://[::ffff:a00:5]', 'ws://[::1]:7080', 'ws://0.0.0.0:7080']) {
      expect(serverAddressProblem(remote)).toBe('plain_remote');
    }
    for (const bad of ['', '10.0.0.5:7080', 'http://10.0.0.5', 'https://10.0.0.5', 'ws://', 'file:///etc/passwd']) expect(serverAddressProblem(bad)).toBe('bad_address');
  });

  it('the page’s CSP opens plain WebSockets to loopback only', () => {
    const connect = CONTENT_SECURITY_POLICY.split('; ').find((d) => d.startsWith('connect-src'))!.split(' ');
    expect(connect).toContain('wss:');
    expect(connect).not.toContain('ws:');
    expect(connect.filter((s) => s.startsWith('ws://')).every((s) => /^ws:\/\/(127\.0\.0\.1|localhost):\*$/.test(s))).toBe(true);
  });

  it('the desktop sends nothing to a server on another machine over clear text', async () => {
    // A listener on every address of this machine: a connection to it would be a leak.
    let connections = 0;
    const listener = net.createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '0.0.0.0', resolve));
    const port = (listener.address() as net.AddressInfo).port;
    const lanAddress = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address ?? '10.255.255.1';
    const serverUrl = `ws://${lanAddress}:${port}`;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-address-'));
    dirs.push(dataDir);
    const services = await DesktopServices.open({ dataDir, seedDemo: false });
    try {
      for (const [method, input] of [
        ['syncBriefings', { serverUrl, inviteCode: 'ABCD-EFGH-JKMN-PQRS-TVWX' }],
        ['saveOrganizerKey', { serverUrl, key: 'GBTC-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG' }],
      ] as const) {
        const refused = await services.call(method, input).then((): ApiError | null => null, (e: ApiError) => e);
        expect([method, refused?.code, refused?.reason, refused?.message]).toEqual([method, 'bad_input', 'plain_remote', expect.any(String)]);
      }
      await new Promise((r) => setTimeout(r, 200));
      expect(connections).toBe(0);
    } finally {
      await services.close();
      listener.close();
    }
  });
  it('a PC that lists an address it cannot use yet still hosts, on the addresses it can', async () => {
    // 203.0.113.77 (a documentation address) stands for an IPv6 address still being checked, or a
    // VPN address going away: listed by the system, refused by bind.
    const { usable, left } = await bindableAddresses(['127.0.0.1', '203.0.113.77']);
    expect(usable).toEqual(['127.0.0.1']);
    expect(left).toEqual([{ ip: '203.0.113.77', why: expect.stringContaining('EADDRNOTAVAIL') }]);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-addr-'));
    dirs.push(dataDir);
    const server = await startSfuServer({ host: '127.0.0.1', port: 0, mediaAddresses: usable.map((ip) => ({ ip })), mediaPort: 0, workers: 1, dataDir });
    try {
      const health = await (await fetch(`http://127.0.0.1:${server.port}/health`)).json();
      expect(health.mediaPorts).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
