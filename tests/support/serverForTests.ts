// One test server for a test file: started before its tests, closed after them with every
// client the tests opened on it. Called at the top level of a vitest file.
import { afterAll, beforeAll } from 'vitest';
import type { SfuConfigInput } from '../../sfu-server/src/config';
import type { SfuServer } from '../../sfu-server/src/SfuServer';
import { type TestClient, clientPool } from './sfuTestClient';
import { startTestServer } from './testServer';

export function serverForTests(overrides: SfuConfigInput = {}): { server: () => SfuServer; client: () => Promise<TestClient> } {
  let started: SfuServer | undefined;
  const server = () => {
    if (!started) throw new Error('the test server is started before the tests');
    return started;
  };
  const { client, closeAll } = clientPool(() => server().url);
  beforeAll(async () => {
    started = await startTestServer(overrides);
  });
  afterAll(async () => {
    closeAll();
    await started?.close();
  });
  return { server, client };
}
