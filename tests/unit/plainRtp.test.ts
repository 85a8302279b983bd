// Plain-RTP peers (load generators, lightweight test peers): refused by a normal server, and on a
// server started with --allow-plain-rtp a generated stream reaches a receiving peer on the low layer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type SfuServer, startSfuServer } from '../../sfu-server/src/SfuServer';
import { Sink, producerRtpParameters, startGenerator } from '../../bench/sfu/rtp';
import { publishInvites } from '../support/invitations';
import { TestClient } from '../support/sfuTestClient';

const servers: SfuServer[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

async function server(allowPlainRtp: boolean, spread = { workers: 1, pointsPerWorker: 100 }): Promise<SfuServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-plain-'));
  dirs.push(dataDir);
  const s = await startSfuServer({ host: '127.0.0.1', port: 0, mediaAddresses: [{ ip: '127.0.0.1' }], mediaPort: 0, ...spread, dataDir, allowPlainRtp });
  servers.push(s);
  return s;
}

describe('plain RTP peers', () => {
  it('are refused unless the server allows them', async () => {
    const s = await server(false);
    const invites = await publishInvites(s, 'giaoban-thuong', ['Xã Tân Lập']);
    const client = await TestClient.connect(s.url);
    await client.join('giaoban-thuong', 'Xã Tân Lập', { credential: invites.points['Xã Tân Lập'] });
    const reply = await client.request('createPlainTransport', { direction: 'send' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    client.close();
  });

  it('carry generated audio and the low simulcast layer to a receiving peer', async () => {
    await expectLowLayerReceived(await server(true), [1]);
  });

  it('reach a point placed on another worker when the briefing outgrows one core', async () => {
    // One point per worker: the commune lands on the second worker and the chair's streams are
    // piped to it.
    await expectLowLayerReceived(await server(true, { workers: 2, pointsPerWorker: 1 }), [1, 1]);
  });

  it('arrive at the layer asked when a joining point takes them all in one batch, across workers', async () => {
    await expectLowLayerReceived(await server(true, { workers: 2, pointsPerWorker: 1 }), [1, 1], 'batch');
  });
});

async function expectLowLayerReceived(s: SfuServer, routersPerWorker: number[], how: 'one by one' | 'batch' = 'one by one'): Promise<void> {
    const url = s.url;
    const invites = await publishInvites(s, 'giaoban-tai', ['Xã Tân Lập']);
    const chair = await TestClient.connect(url);
    await chair.join('giaoban-tai', invites.chairSeat, { credential: invites.chair });
    const send = (await chair.request('createPlainTransport', { direction: 'send' })).data;
    const audio = (await chair.request('produce', { transportId: send.id, kind: 'audio', source: 'mic', rtpParameters: producerRtpParameters.audio })).data;
    const video = (await chair.request('produce', { transportId: send.id, kind: 'video', source: 'camera', rtpParameters: producerRtpParameters.video })).data;
    const generator = startGenerator({ ip: send.ip, port: send.port });

    const commune = await TestClient.connect(url);
    await commune.join('giaoban-tai', 'Xã Tân Lập', { credential: invites.points['Xã Tân Lập'] });
    const sink = new Sink();
    const port = await sink.bind();
    const recv = (await commune.request('createPlainTransport', { direction: 'recv' })).data;
    expect((await commune.request('connectPlainTransport', { transportId: recv.id, ip: '127.0.0.1', port })).ok).toBe(true);
    if (how === 'batch') await consumeInOneBatch(commune, recv.id, audio.producerId, video.producerId);
    else {
      for (const producerId of [audio.producerId, video.producerId]) {
        const consumer = (await commune.request('consume', { transportId: recv.id, producerId })).data;
        if (consumer.kind === 'video') await commune.request('setConsumerLayer', { consumerId: consumer.consumerId, spatialLayer: 0 });
        await commune.request('resumeConsumer', { consumerId: consumer.consumerId });
      }
    }
    await new Promise((r) => setTimeout(r, 1500));
    sink.startCounting();
    await new Promise((r) => setTimeout(r, 2000));
    const stats = sink.finish();
    generator.stop();
    sink.close();
    // 50 audio packets/s and 30 low-layer packets/s: about 160 in 2 s, not the 7 a second of the upper layers.
    expect(stats.packets).toBeGreaterThan(120);
    expect(stats.packets).toBeLessThan(220);
    expect(stats.missing).toBe(0);
    expect(await s.pool.routerCounts()).toEqual(routersPerWorker);
    chair.close();
    commune.close();
}

/** The app's way in: every stream in one request (the video at its thumbnail layer), then one
 * resume. A stream that is gone is refused by name; a consumer id not this point's is not
 * resumed, only named back as gone. */
async function consumeInOneBatch(commune: TestClient, transportId: string, audioId: string, videoId: string): Promise<void> {
  const made = await commune.request('consumeMany', {
    transportId,
    producers: [{ producerId: audioId }, { producerId: videoId, wish: { spatialLayer: 0, temporalLayer: 0, priority: 1 } }, { producerId: 'a-stream-that-ended' }],
  });
  expect(made.ok).toBe(true);
  expect(made.data.consumers.map((c: { producerId: string }) => c.producerId)).toEqual([audioId, videoId]);
  expect(made.data.refused).toEqual([{ producerId: 'a-stream-that-ended', code: 'not_found', message: expect.any(String) }]);
  const ids = made.data.consumers.map((c: { consumerId: string }) => c.consumerId);
  const resumed = await commune.request('resumeConsumers', { consumerIds: [...ids, 'someone-elses-consumer'] });
  expect(resumed.data).toEqual({ gone: ['someone-elses-consumer'] });
  const tooMany = await commune.request('consumeMany', { transportId, producers: Array.from({ length: 401 }, () => ({ producerId: audioId })) });
  expect(tooMany.error?.code).toBe('bad_request');
}
