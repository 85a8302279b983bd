// What an outsider meets before any handler: a cap on connections per address, WebSocket
// upgrades only from the app's own origins, slow clients cut off, and a port already taken
// reported in words instead of a crash.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiError } from '../../main/api/contract';
import { DesktopServices } from '../../main/services/DesktopServices';
import { ListenError, type SfuServer, startSfuServer } from '../../sfu-server/src/SfuServer';
import { startTestServer } from '../support/testServer';

const dirs: string[] = [];
const temp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-gate-'));
  dirs.push(dir);
  return dir;
};
let server: SfuServer;

beforeAll(async () => {
  server = await startTestServer({ dataDir: temp(), maxConnectionsPerAddress: 3, httpHeadersTimeoutMs: 1000, httpIdleTimeoutMs: 1500 });
});
afterAll(async () => {
  await server.close();
  dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

/** Opens a WebSocket; resolves with 'open' or the HTTP status and body of the refusal. */
function connect(origin?: string): Promise<{ ws: WebSocket; status: number; body: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(server.url, origin ? { origin } : {});
    ws.once('open', () => resolve({ ws, status: 101, body: '' }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d));
      res.on('end', () => resolve({ ws, status: res.statusCode ?? 0, body }));
    });
    ws.on('error', () => undefined);
  });
}

describe('the gate in front of the server', () => {
  it('refuses WebSocket upgrades from a foreign web page, with the reason, and lets the app in', async () => {
    const foreign = await connect('http://10.20.30.40');
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).error).toMatchObject({ code: 'bad_origin' });
    for (const origin of [undefined, 'null', 'http://localhost:5180', 'app://giao-ban']) {
      const own = await connect(origin);
      expect(own.status).toBe(101);
      own.ws.close();
      await new Promise((resolve) => own.ws.once('close', resolve));
    }
  });

  it('caps the connections one address holds, says so, and takes new ones once some close', async () => {
    // The server counts a socket out when it has closed on its side too.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const open = await Promise.all([connect(), connect(), connect()]);
    expect(open.map((o) => o.status)).toEqual([101, 101, 101]);
    const fourth = await connect();
    expect(fourth.status).toBe(503);
    expect(JSON.parse(fourth.body).error.message).toContain('at most 3');
    open[0].ws.close();
    await new Promise((resolve) => open[0].ws.once('close', resolve));
    await expect.poll(async () => {
      const again = await connect();
      again.ws.close();
      return again.status;
    }).toBe(101);
    open.forEach((o) => o.ws.close());
  });

  it('closes a client that sends its headers too slowly', async () => {
    const socket = net.connect(server.port, '127.0.0.1');
    const started = Date.now();
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\n');
    const trickle = setInterval(() => socket.write('X-Slow: 1\r\n'), 200);
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (d) => (text += d));
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
    });
    clearInterval(trickle);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('reports a signaling port already in use in words, and the app that tried keeps running', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '::', resolve));
    const port = (squatter.address() as net.AddressInfo).port;
    try {
      const error = await startSfuServer({ host: '::', port, mediaAddresses: [{ ip: '127.0.0.1' }], mediaPort: 0, workers: 1, dataDir: temp() }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ListenError);
      expect((error as ListenError).code).toBe('port_in_use');
      expect((error as Error).message).toContain(`port ${port} is already in use`);

      const desktop = await DesktopServices.open({ dataDir: temp(), hostPort: port, hostMediaPort: 0, seedDemo: false });
      try {
        const refused = await desktop.api.hostBriefing().then(() => null, (e: unknown) => e);
        expect(refused).toBeInstanceOf(ApiError);
        expect(refused, String(refused)).toMatchObject({ code: 'host_failed', reason: 'port_in_use' });
        // Still serving: the same services answer the next call.
        expect(await desktop.api.listBriefings()).toEqual([]);
      } finally {
        await desktop.close();
      }
    } finally {
      squatter.close();
    }
  });
});
