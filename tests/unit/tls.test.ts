// Signaling over TLS on an internal network: the server makes a CA and a certificate for its
// addresses; a meeting point that trusts the CA connects, one that does not is refused.
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { configFromCommandLine } from '../../sfu-server/src/config';
import { type SfuServer, startSfuServer } from '../../sfu-server/src/SfuServer';

let server: SfuServer;
let tlsDir: string;
beforeAll(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-tls-'));
  tlsDir = path.join(dataDir, 'tls');
  server = await startSfuServer({ host: '127.0.0.1', port: 0, mediaAddresses: [{ ip: '127.0.0.1' }], mediaPort: 0, workers: 1, dataDir, tlsDir });
});
afterAll(() => server.close());

const open = (ca?: Buffer) =>
  new Promise<string>((resolve) => {
    const socket = new WebSocket(server.url, ca ? { ca } : {});
    socket.once('open', () => {
      socket.close();
      resolve('open');
    });
    socket.once('error', (error) => resolve(error.message));
  });

describe('TLS', () => {
  it('serves WSS and HTTPS with a certificate its own CA signed for its addresses', async () => {
    expect(server.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
    const ca = fs.readFileSync(path.join(tlsDir, 'ca.crt'));
    expect(server.tls?.caFingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(fs.statSync(path.join(tlsDir, 'ca.key')).mode & 0o077).toBe(0);
    expect(await open(ca)).toBe('open');
    // A PC that has not installed the CA is not fooled into trusting the server.
    expect(await open()).toMatch(/self[- ]signed|unable to verify/i);
    const health = await new Promise<string>((resolve, reject) => {
      https.get(`${server.url.replace('wss', 'https')}/health`, { ca }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve(body));
      }).on('error', reject);
    });
    expect(JSON.parse(health).ok).toBe(true);
  });

  it('is on by default for the standalone server, off only when asked', () => {
    expect(configFromCommandLine(['--data-dir', '/srv/gb'], {}).tlsDir).toBe('/srv/gb/tls');
    expect(configFromCommandLine(['--insecure-ws'], {}).tlsDir).toBeUndefined();
    expect(configFromCommandLine([], { SFU_TLS_DIR: '/etc/giao-ban/tls' }).tlsDir).toBe('/etc/giao-ban/tls');
  });
});
