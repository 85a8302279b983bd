// A meeting point trusts its host unit's server by the CA fingerprint of its invitation: the
// wrong fingerprint is refused (someone may be in between), the right one is kept across a
// restart, and the desktop's calls then reach the server over TLS with no root installed.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../main/api/contract';
import { DesktopServices } from '../../main/services/DesktopServices';
import { pinnedChainAccepts } from '../../main/services/trust/pinning';
import type { SfuServer } from '../../sfu-server/src/SfuServer';
import { briefingDraft } from '../support/recordFixture';
import { tempDirs } from '../support/tempDirs';
import { startTestServer } from '../support/testServer';

const { temp, removeAll } = tempDirs();
let server: SfuServer;
let other: SfuServer;
let tlsDir: string;
beforeAll(async () => {
  tlsDir = temp('tls');
  server = await startTestServer({ tlsDir });
  // Another server with a CA of its own: what an impostor on the network would present.
  other = await startTestServer({ tlsDir: temp('other-tls') });
});
afterAll(async () => {
  await server.close();
  await other.close();
  removeAll();
});

describe('trusting a server by the fingerprint of its invitation', () => {
  it('refuses a fingerprint that is not its CA, keeps the right one, and reaches the server then', async () => {
    const dataDir = temp('pc');
    let pc = await DesktopServices.open({ dataDir, seedDemo: false });
    const fingerprint = server.tls!.caFingerprint!;
    const refused = (await pc.call('pinServerCa', { serverUrl: server.url, fingerprint: other.tls!.caFingerprint! }).catch((e: ApiError) => e)) as ApiError;
    expect([refused.code, refused.reason]).toEqual(['server_refused', 'fingerprint_mismatch']);
    expect(await pc.api.probeServer({ serverUrl: server.url })).toEqual({ answer: 'certificate' });

    // Written without colons, as someone might read it out: the same fingerprint.
    expect(await pc.api.pinServerCa({ serverUrl: server.url, fingerprint: fingerprint.replace(/:/g, '').toLowerCase() })).toEqual({ hostname: '127.0.0.1', fingerprint });
    await pc.close();
    pc = await DesktopServices.open({ dataDir, seedDemo: false });
    expect(await pc.api.probeServer({ serverUrl: server.url })).toEqual({ answer: 'ok' });
    // Every desktop call goes through: keeping an organizer key, publishing, receiving ahead.
    await pc.api.saveOrganizerKey({ serverUrl: server.url, key: (await server.organizers.add('UBND tỉnh')).key });
    await pc.api.publishBriefing({ serverUrl: server.url, draft: briefingDraft({ code: 'ghim-ca', startsAt: new Date(Date.now() + 3600_000).toISOString(), regular: false }) });
    const code = (await pc.api.listInvites({ briefingCode: 'ghim-ca' })).find((i) => i.seat === 'Xã Tân Lập')!.code;
    const synced = await pc.api.syncBriefings({ serverUrl: server.url, inviteCode: code });
    expect(synced.invited).toEqual({ briefingCode: 'ghim-ca', seat: 'Xã Tân Lập' });
    // Pinned for this host only: the other server is still not trusted.
    expect(await pc.api.probeServer({ serverUrl: other.url })).toEqual({ answer: 'certificate' });
    await pc.close();
  });

  it("accepts in Electron's window only a certificate the pinned CA issued for that host", () => {
    const leafPem = fs.readFileSync(path.join(tlsDir, 'server.crt'), 'utf8');
    const pinnedCaPem = fs.readFileSync(path.join(tlsDir, 'ca.crt'), 'utf8');
    const otherCa = fs.readFileSync(path.join(path.dirname(other.tls!.caCertFile!), 'ca.crt'), 'utf8');
    const now = new Date();
    expect(pinnedChainAccepts({ leafPem, hostname: '127.0.0.1', pinnedCaPem, now })).toBe(true);
    expect(pinnedChainAccepts({ leafPem, hostname: 'giaoban.evil.example', pinnedCaPem, now })).toBe(false);
    expect(pinnedChainAccepts({ leafPem, hostname: '127.0.0.1', pinnedCaPem: otherCa, now })).toBe(false);
    expect(pinnedChainAccepts({ leafPem, hostname: '127.0.0.1', pinnedCaPem, now: new Date(now.getTime() + 20 * 365 * 86_400_000) })).toBe(false);
  });
});
