// A server whose certificate this PC does not trust is told as a certificate problem, never as
// a server that cannot be reached (the operator would check the cable and the briefing code).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../main/api/contract';
import { DesktopServices } from '../../main/services/DesktopServices';
import type { SfuServer } from '../../sfu-server/src/SfuServer';
import { tempDirs } from '../support/tempDirs';
import { startTestServer } from '../support/testServer';

const { temp, removeAll } = tempDirs();
let server: SfuServer;
let pc: DesktopServices;
beforeAll(async () => {
  // Its own CA, which this test process has not installed.
  server = await startTestServer({ tlsDir: temp('tls') });
  pc = await DesktopServices.open({ dataDir: temp('pc'), seedDemo: false });
});
afterAll(async () => {
  await pc.close();
  await server.close();
  removeAll();
});

describe('a certificate this PC does not trust', () => {
  it('is told as such, apart from a server that is not there', async () => {
    expect(server.url).toMatch(/^wss:/);
    expect(await pc.api.probeServer({ serverUrl: server.url })).toEqual({ answer: 'certificate' });
    const refused = (await pc.call('syncBriefings', { serverUrl: server.url, inviteCode: 'ABCD-EFGH-JKMN-PQRS-TVWX' }).catch((e: ApiError) => e)) as ApiError;
    expect([refused.code, refused.reason]).toEqual(['server_refused', 'certificate']);
    expect(await pc.api.probeServer({ serverUrl: 'wss://127.0.0.1:9' })).toEqual({ answer: 'unreachable' });
  });
});
