// The local host mode's API channel: only the page holding the session token gets in, and
// bad input is refused with a clear code, never a crash.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalHost, startLocalHost } from '../../main/host/LocalHost';
import { DesktopServices } from '../../main/services/DesktopServices';
import WebSocket from 'ws';
import { publishInvites } from '../support/invitations';
import { TestClient } from '../support/sfuTestClient';

let dataDir: string;
let services: DesktopServices;
let host: LocalHost;
const token = 'test-token-0123456789';

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-host-'));
  const webRoot = path.join(dataDir, 'web');
  fs.mkdirSync(webRoot);
  fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Giao Ban</title>');
  services = await DesktopServices.open({ dataDir, hostPort: 0, hostMediaPort: 0 });
  host = await startLocalHost({ services, webRoot, token });
});
afterAll(async () => {
  await host.close();
  await services.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const call = (method: string, input?: unknown, auth = `Bearer ${token}`) =>
  fetch(`http://127.0.0.1:${host.port}/api/${method}`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify({ input }),
  });

describe('local host mode', () => {
  it('serves the app page with a strict content security policy', async () => {
    const page = await fetch(`http://127.0.0.1:${host.port}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(host.url).toContain(`#token=${token}`);
  });

  it('refuses calls without the session token', async () => {
    expect((await call('getProfile', undefined, '')).status).toBe(401);
    expect((await call('getProfile', undefined, 'Bearer wrong-token-xxxxxxxx')).status).toBe(401);
  });

  it('saves and returns the profile, and refuses a malformed one without touching the saved one', async () => {
    const profile = { serverUrl: 'ws://10.0.0.5:7080', briefingCode: 'giaoban', pointName: 'Xã Tân Lập', cameraId: null, microphoneId: null, language: 'vi', relayOnly: false, chairSignsMinutesAlone: false, pcRole: 'point' };
    expect((await (await call('saveProfile', profile)).json()).result).toEqual(profile);
    const bad = await call('saveProfile', { ...profile, pointName: 'x'.repeat(500) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('bad_input');
    expect((await (await call('getProfile')).json()).result).toEqual(profile);
    expect((await call('formatDisk')).status).toBe(404);
  });

  it('hosts a briefing on this PC: the embedded SFU takes meeting points', async () => {
    const response = await call('hostBriefing');
    // On failure, say the server's own words (which port, which address), not only a status.
    expect(response.status, await response.clone().text()).toBe(200);
    const { result } = await response.json();
    // Communes get WSS addresses and the CA to install; this PC's own app speaks WS over loopback.
    expect(result.addresses.length).toBeGreaterThan(0);
    expect(result.addresses.every((a: string) => a.startsWith('wss://'))).toBe(true);
    expect(fs.existsSync(result.caCertFile)).toBe(true);
    expect(result.serverUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    const remote = new URL(result.addresses[0]);
    const ca = fs.readFileSync(result.caCertFile);
    const secure = await new Promise<string>((resolve) => {
      const socket = new WebSocket(`wss://localhost:${remote.port}`, { ca });
      socket.once('open', () => (socket.close(), resolve('open'))).once('error', (e) => resolve(e.message));
    });
    expect(secure).toBe('open');
    const local = result.serverUrl;
    // The hosting PC is its own organizer: its key was made on first start, readable by its user only.
    const keyFile = path.join(dataDir, 'host', 'organizer.key');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const invites = await publishInvites({ url: local, organizerKey: fs.readFileSync(keyFile, 'utf8').trim() }, 'giaoban-tai-cho', ['Xã Tân Lập']);
    const point = await TestClient.connect(local);
    expect((await point.join('giaoban-tai-cho', invites.chairSeat, { credential: invites.chair })).data.status).toBe('joined');
    point.close();
    // Asking again returns the same running server rather than a second one.
    expect((await (await call('hostBriefing')).json()).result.serverUrl).toBe(result.serverUrl);
  });
});
