// A commune's old PC encodes only the layers someone receives: the server tells the camera's
// owner the highest layer wanted, and the owner's app must end on what it was told last, however
// quickly the words follow each other (a floor given and taken back, a mode switched). Run on
// mediasoup-client's own device, transport and producer over its fake handler, whose encoder
// here takes a few milliseconds to change layers, as a browser's does.
import { FakeMediaStreamTrack } from 'fake-mediastreamtrack';
import { Device } from 'mediasoup-client';
import * as fakeParameters from 'mediasoup-client/fakeParameters';
import { FakeHandler } from 'mediasoup-client/handlers/FakeHandler';
import { describe, expect, it } from 'vitest';
import { MediaSession } from '../../renderer/src/briefing/MediaSession';

/** The highest layer the fake encoder sends, changed 20 ms after it is asked. */
let encoding: number | undefined;

async function cameraProducer(): Promise<{ device: Device; producerId: string; produce: (media: MediaSession) => Promise<void> }> {
  const fake = FakeHandler.createFactory(fakeParameters);
  const device = await Device.factory({
    handlerFactory: {
      ...fake,
      factory: (options) => {
        const handler = fake.factory(options);
        handler.setMaxSpatialLayer = (_localId: string, layer: number) =>
          new Promise((resolve) =>
            setTimeout(() => {
              encoding = layer;
              resolve();
            }, 20),
          );
        return handler;
      },
    },
  });
  await device.load({ routerRtpCapabilities: fakeParameters.generateRouterRtpCapabilities() });
  const transport = device.createSendTransport(fakeParameters.generateTransportRemoteParameters());
  transport.on('connect', (_params, done) => done());
  transport.on('produce', (_params, done) => done({ id: 'camera-producer' }));
  const produce = async (media: MediaSession) => {
    const producer = await transport.produce({ track: new FakeMediaStreamTrack({ kind: 'video' }), encodings: [{ rid: 'r0' }, { rid: 'r1' }, { rid: 'r2' }] });
    media.producers.set('camera', producer);
  };
  return { device, producerId: 'camera-producer', produce };
}

describe("a camera's layers follow the server's last word", () => {
  it('all layers then the thumbnail only, told in quick succession: the thumbnail only', async () => {
    const { device, producerId, produce } = await cameraProducer();
    const media = new MediaSession({ request: () => Promise.reject(new Error('no server in this test')) }, device, { track: () => undefined, failed: () => undefined }, false);
    await produce(media);
    await media.limitLayers(producerId, 0);
    expect(encoding).toBe(0);
    // Given the floor and taken back before the encoder changed.
    await Promise.all([media.limitLayers(producerId, 2), media.limitLayers(producerId, 0)]);
    expect(encoding).toBe(0);
    // And on stage for good.
    await Promise.all([media.limitLayers(producerId, 0), media.limitLayers(producerId, 2)]);
    expect(encoding).toBe(2);
  });
});
