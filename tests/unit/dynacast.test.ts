// Send only what someone receives: a commune's camera is asked for no more than the highest layer
// any point receives of it now; nobody on stage, only the thumbnail layer; on someone's stage, all
// of them; the stage paused or gone, the thumbnail layer again. On a real mediasoup worker, with
// plain-RTP points and the camera spread over two workers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { producerRtpParameters } from '../../bench/sfu/rtp';
import type { SfuServer } from '../../sfu-server/src/SfuServer';
import { publishInvites } from '../support/invitations';
import { TestClient } from '../support/sfuTestClient';
import { startTestServer } from '../support/testServer';

let server: SfuServer;
const clients: TestClient[] = [];
beforeAll(async () => {
  // Two workers, two points each: the receivers on the second worker consume through a pipe.
  server = await startTestServer({ allowPlainRtp: true, workers: 2, pointsPerWorker: 2, maxConnectionsPerAddress: 1000 });
});
afterAll(async () => {
  clients.forEach((c) => c.close());
  await server.close();
});

async function seated(code: string, name: string, credential: string): Promise<TestClient> {
  const client = await TestClient.connect(server.url);
  clients.push(client);
  const joined = await client.join(code, name, { credential });
  if (!joined.ok) throw new Error(`${name}: ${joined.error?.message}`);
  return client;
}

async function ok(client: TestClient, method: string, data: unknown = {}) {
  const reply = await client.request(method, data);
  if (!reply.ok) throw new Error(`${method}: ${reply.error?.message}`);
  return reply.data;
}

/** A receiving point's consumer of the camera: paused as created, on the layer asked. */
async function receive(client: TestClient, producerId: string, layer: number) {
  const transport = await ok(client, 'createPlainTransport', { direction: 'recv' });
  await ok(client, 'connectPlainTransport', { transportId: transport.id, ip: '127.0.0.1', port: 9 });
  const { consumerId } = await ok(client, 'consume', { transportId: transport.id, producerId });
  await ok(client, 'setConsumerLayer', { consumerId, spatialLayer: layer });
  return consumerId as string;
}

describe('a camera is asked only for the layers someone receives', () => {
  it('follows the receivers: the thumbnail layer by default, all layers for a stage, back when the stage goes', async () => {
    const points = ['Xã Tân Lập', 'Xã Hòa Bình', 'Phường Đông Hải', 'Xã Phú Sơn'];
    const invites = await publishInvites(server, 'dynacast', points);
    const sender = await seated('dynacast', points[0], invites.points[points[0]]);
    const told = () => sender.notifications.filter((n) => n.notification === 'producerLayers').map((n) => n.data.spatialLayer as number);
    const send = await ok(sender, 'createPlainTransport', { direction: 'send' });
    const { producerId } = await ok(sender, 'produce', { transportId: send.id, kind: 'video', source: 'camera', rtpParameters: producerRtpParameters.video });
    // Nobody receives it yet: the lowest layer only.
    await sender.waitFor('producerLayers', (d) => d.producerId === producerId);
    expect(told()).toEqual([0]);

    const thumbnail = await seated('dynacast', points[1], invites.points[points[1]]);
    const stage = await seated('dynacast', points[2], invites.points[points[2]]);
    const other = await seated('dynacast', points[3], invites.points[points[3]]);
    const small = await receive(thumbnail, producerId, 0);
    await ok(thumbnail, 'resumeConsumer', { consumerId: small });
    // A stage consumer paused (created so, or off screen) asks for nothing yet.
    const big = await receive(stage, producerId, 2);
    expect(told()).toEqual([0]);
    await ok(stage, 'resumeConsumer', { consumerId: big });
    await sender.waitFor('producerLayers', (d) => d.spatialLayer === 2);
    // A second stage, on the other worker, changes nothing; the first one paused neither.
    const big2 = await receive(other, producerId, 2);
    await ok(other, 'resumeConsumer', { consumerId: big2 });
    await ok(stage, 'pauseConsumer', { consumerId: big });
    expect(told()).toEqual([0, 2]);
    // The last stage leaves: back to the thumbnail layer.
    other.close();
    await expect.poll(told, { timeout: 5000 }).toEqual([0, 2, 0]);
    // The stage resumed: all layers again.
    await ok(stage, 'resumeConsumer', { consumerId: big });
    await expect.poll(told, { timeout: 5000 }).toEqual([0, 2, 0, 2]);
  });
});
