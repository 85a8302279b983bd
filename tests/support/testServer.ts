// A server in the test's own process, on loopback with one worker and a data folder of its own;
// `overrides` set what the test is about.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SfuConfigInput } from '../../sfu-server/src/config';
import { type SfuServer, type SfuServerDeps, startSfuServer } from '../../sfu-server/src/SfuServer';

export function startTestServer(overrides: SfuConfigInput = {}, deps: SfuServerDeps = {}): Promise<SfuServer> {
  return startSfuServer(
    {
      host: '127.0.0.1',
      port: 0,
      mediaAddresses: [{ ip: '127.0.0.1' }],
      mediaPort: 0,
      workers: 1,
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-sfu-')),
      ...overrides,
    },
    deps,
  );
}
