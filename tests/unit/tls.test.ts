// Signaling over TLS on an internal network: the server makes a CA and a certificate for its
// addresses; a meeting point that trusts the CA connects, one that does not is refused.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type net from 'node:net';
import tls from 'node:tls';
import forge from 'node-forge';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { configFromCommandLine } from '../../sfu-server/src/config';
import { type SfuServer, startSfuServer } from '../../sfu-server/src/SfuServer';
import { ensureTlsFiles, reissueIfNeeded } from '../../sfu-server/src/tls';

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
    expect(fs.statSync(path.join(tlsDir, 'ca', 'ca.key')).mode & 0o077).toBe(0);
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

describe('the server’s own CA', () => {
  const made = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-ca-'));
    ensureTlsFiles(dir, ['127.0.0.1']);
    return dir;
  };
  /** Signs a certificate with the server's CA key, as someone holding that key would. */
  function forged(dir: string, altNames: ({ type: 2; value: string } | { type: 7; ip: string })[]): { key: string; cert: string } {
    const caKey = forge.pki.privateKeyFromPem(fs.readFileSync(path.join(dir, 'ca', 'ca.key'), 'utf8'));
    const ca = forge.pki.certificateFromPem(fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8'));
    const keys = forge.pki.rsa.generateKeyPair(1024);
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = '0badbeef';
    cert.validity.notBefore = new Date(Date.now() - 3600_000);
    cert.validity.notAfter = new Date(Date.now() + 3600_000);
    cert.setSubject([{ name: 'commonName', value: 'bank.example.vn' }]);
    cert.setIssuer(ca.subject.attributes);
    cert.setExtensions([{ name: 'extKeyUsage', serverAuth: true }, { name: 'subjectAltName', altNames }]);
    cert.sign(caKey, forge.md.sha256.create());
    return { key: forge.pki.privateKeyToPem(keys.privateKey), cert: forge.pki.certificateToPem(cert) };
  }
  const verify = (dir: string, cert: string) => {
    const file = path.join(dir, 'check.crt');
    fs.writeFileSync(file, cert);
    return spawnSync('openssl', ['verify', '-CAfile', path.join(dir, 'ca.crt'), file], { encoding: 'utf8' });
  };
  /** A TLS server on `host` presenting `pair`; resolves with what a client trusting the CA sees. */
  async function handshake(dir: string, pair: { key: string; cert: string }, host: string, servername: string): Promise<string> {
    const server = tls.createServer(pair, (socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    try {
      return await new Promise<string>((resolve) => {
        const socket = tls.connect({ host, port: (server.address() as net.AddressInfo).port, servername, ca: fs.readFileSync(path.join(dir, 'ca.crt')) }, () => {
          socket.end();
          resolve('trusted');
        });
        socket.on('error', (error) => resolve(error.message));
      });
    } finally {
      server.close();
    }
  }

  it('keeps its key apart from the serving key, readable by the server’s user only', () => {
    const dir = made();
    expect(fs.statSync(path.join(dir, 'ca')).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dir, 'ca', 'ca.key')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, 'server.key')).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(path.join(dir, 'ca.key'))).toBe(false);
  });

  it('cannot vouch for any other site, even for someone holding its key', async () => {
    const dir = made();
    expect(verify(dir, fs.readFileSync(path.join(dir, 'server.crt'), 'utf8')).status).toBe(0);
    const bank = forged(dir, [{ type: 2, value: 'bank.example.vn' }]);
    const checked = verify(dir, bank.cert);
    expect(checked.status).not.toBe(0);
    expect(checked.stdout + checked.stderr).toMatch(/permitted subtree violation/);
    expect(await handshake(dir, bank, '127.0.0.1', 'bank.example.vn')).toMatch(/permitted subtree violation/);
    const publicIp = forged(dir, [{ type: 7, ip: '203.113.1.1' }]);
    expect(verify(dir, publicIp.cert).status).not.toBe(0);
  });

  it('re-issues the serving certificate from the same CA when the server’s address changes', async () => {
    const dir = made();
    const ca = fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8');
    const before = fs.readFileSync(path.join(dir, 'server.crt'), 'utf8');
    // A new lease on the same network (loopback stands in for the office LAN here).
    expect(await handshake(dir, ensureTlsFiles(dir, ['127.0.0.1']), '127.0.0.2', '')).toMatch(/IP: 127\.0\.0\.2 is not in the cert's list/);
    expect(reissueIfNeeded(dir, ['127.0.0.2'])).toBe(true);
    const after = ensureTlsFiles(dir, ['127.0.0.2']);
    expect(after.cert).not.toBe(before);
    expect(fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8')).toBe(ca);
    expect(await handshake(dir, after, '127.0.0.2', '')).toBe('trusted');
    expect(reissueIfNeeded(dir, ['127.0.0.2'])).toBe(false);
  });

  it('keeps its certificate across restarts on an IPv6 address, however the address is written', () => {
    const dir = made();
    ensureTlsFiles(dir, ['127.0.0.1', 'fd00::2']);
    const issued = fs.readFileSync(path.join(dir, 'server.crt'), 'utf8');
    // The certificate writes it FD00:0:0:0:0:0:0:2; the system, as the next start lists it.
    for (const written of ['fd00::2', 'FD00:0:0:0:0:0:0:2', 'fd00:0::0:2']) expect(reissueIfNeeded(dir, ['127.0.0.1', written])).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'server.crt'), 'utf8')).toBe(issued);
    expect(reissueIfNeeded(dir, ['127.0.0.1', 'fd00::3'])).toBe(true);
  });
});
