import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFromCommandLine } from '../../sfu-server/src/config';
import { startSfuServer } from '../../sfu-server/src/SfuServer';
import { turnCredentials } from '../../sfu-server/src/access/turn';
import { publishInvites } from '../support/invitations';
import { TestClient } from '../support/sfuTestClient';

describe('standalone server settings', () => {
  it('reads listen and announced addresses, IPv4 and IPv6, from flags', () => {
    const config = configFromCommandLine(['--port', '8443', '--media-ip', '0.0.0.0@203.0.113.5', '--media-ip', '::1', '--workers', '2'], {});
    expect(config.port).toBe(8443);
    expect(config.mediaAddresses).toEqual([{ ip: '0.0.0.0', announcedIp: '203.0.113.5' }, { ip: '::1' }]);
    expect(config.workers).toBe(2);
  });

  it('falls back to environment variables and refuses nonsense', () => {
    expect(configFromCommandLine([], { SFU_PORT: '9000', SFU_MEDIA_IPS: '10.0.0.5, ::1' }).mediaAddresses).toEqual([
      { ip: '10.0.0.5' },
      { ip: '::1' },
    ]);
    expect(() => configFromCommandLine(['--port', 'eighty'], {})).toThrow();
    expect(() => configFromCommandLine(['--workers', '0'], {})).toThrow();
    expect(() => configFromCommandLine(['--unknown-flag'], {})).toThrow();
    expect(() => configFromCommandLine(['--media-ip', '0.0.0.0'], {})).toThrow(/announce/);
    // The heartbeat for links that stall for seconds; a beat so fast it would drop live links is refused.
    expect(configFromCommandLine(['--heartbeat-ms', '5000'], {}).heartbeatMs).toBe(5000);
    expect(configFromCommandLine([], { SFU_HEARTBEAT_MS: '4000' }).heartbeatMs).toBe(4000);
    expect(() => configFromCommandLine(['--heartbeat-ms', '50'], {})).toThrow();
  });

  it('takes TURN servers and their shared secret, and refuses a malformed address or a short secret', () => {
    const config = configFromCommandLine(['--turn-url', 'turns:turn.huyen.example:443?transport=tcp', '--turn-url', 'turn:10.0.0.5:3478', '--turn-secret', 'x'.repeat(24)], {});
    expect(config.turnUrls).toHaveLength(2);
    expect(() => configFromCommandLine(['--turn-url', 'http://turn.example'], {})).toThrow(/TURN address/);
    expect(() => configFromCommandLine(['--turn-url', 'turn:10.0.0.5', '--turn-secret', 'short'], {})).toThrow(/16 characters/);
    // Credentials coturn accepts: ASCII, expiring, the seat readable in its log.
    const [server] = turnCredentials({ turnUrls: ['turn:10.0.0.5:3478'], turnSecret: 'x'.repeat(24) }, 'Xã Đồng Tâm: A', Date.UTC(2026, 10, 23));
    expect(server.username).toBe(`${Date.UTC(2026, 10, 23) / 1000 + 12 * 3600}:Xa-Dong-Tam-A`);
    expect(server.credential).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    expect(turnCredentials({ turnUrls: [] }, 'Xã A')).toEqual([]);
  });

  it('offers IPv4 and IPv6 candidates on one shared media port', async () => {
    const server = await startSfuServer({ host: '::1', port: 0, mediaAddresses: [{ ip: '127.0.0.1' }, { ip: '::1' }], mediaPort: 0, workers: 1, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-sfu-')) });
    try {
      const invites = await publishInvites(server, 'ipv6', ['A']);
      const client = await TestClient.connect(server.url);
      await client.join('ipv6', 'A', { credential: invites.points.A });
      const { data } = await client.request('createTransport', { direction: 'send' });
      const candidates = data.iceCandidates as { ip?: string; address?: string; port: number; protocol: string }[];
      expect(new Set(candidates.map((c) => c.ip ?? c.address))).toEqual(new Set(['127.0.0.1', '::1']));
      expect(new Set(candidates.map((c) => c.protocol))).toEqual(new Set(['udp', 'tcp']));
      expect(new Set(candidates.map((c) => c.port)).size).toBe(1);
      client.close();
    } finally {
      await server.close();
    }
  });
});
