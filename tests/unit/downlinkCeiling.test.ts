// A commune saving data behind a narrow link: the server may send it (and probe its link up to)
// little more than it asked for, not the 1 Mbps and more mediasoup would probe by itself; asked for
// the full stage again, the room comes back at once; a still frame refreshed now and then does not
// move the ceiling up and down. On a real mediasoup worker: what the worker's congestion control
// reports it may send the point (its available outgoing bitrate) is the observable. A plain-RTP
// transport stands in for the app's WebRTC one: mediasoup runs the same congestion control on
// both, and only the WebRTC one needs a browser to connect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { types } from 'mediasoup';
import { producerRtpParameters, replayedVideoRtpParameters } from '../../bench/sfu/rtp';
import { CAMERA_LAYERS } from '../../sfu-server/protocol/rules';
import { DownlinkCeilings } from '../../sfu-server/src/DownlinkCeiling';
import { loadMediasoup } from '../../sfu-server/src/mediasoupLoader';
import { Peer } from '../../sfu-server/src/Peer';
import { MEDIA_CODECS } from '../../sfu-server/src/RouterSet';

const LOWER_AFTER_MS = 400;
let worker: types.Worker;
let router: types.Router;
const producers = new Map<string, types.Producer>();

beforeAll(async () => {
  const mediasoup = await loadMediasoup();
  worker = await mediasoup.createWorker({ logLevel: 'error' });
  router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS });
  // Eight senders, each a microphone and a camera in the app's three layers.
  const send = await router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: true, comedia: true });
  for (let i = 0; i < 8; i++) {
    const ssrcShift = i * 10;
    const audio = await send.produce({ kind: 'audio', rtpParameters: { ...producerRtpParameters.audio, mid: `a${i}`, encodings: [{ ssrc: 1000 + ssrcShift }] } });
    const video = await send.produce({
      kind: 'video',
      rtpParameters: { ...replayedVideoRtpParameters, mid: `v${i}`, encodings: replayedVideoRtpParameters.encodings.map((e, layer) => ({ ...e, ssrc: 2000 + ssrcShift + layer })) },
    });
    producers.set(audio.id, audio);
    producers.set(video.id, video);
  }
});
afterAll(() => worker.close());

/** A meeting point with a connected receive transport, receiving every stream, paused. */
async function receivingPoint(name: string, ceilings: DownlinkCeilings) {
  const peer = new Peer(name, name, name, router.rtpCapabilities, () => undefined);
  const transport = await router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: true, comedia: false, appData: { direction: 'recv' } });
  await transport.connect({ ip: '127.0.0.1', port: 9 });
  peer.transports.set(transport.id, transport);
  const streams: { audio: types.Consumer; video: types.Consumer }[] = [];
  const all = [...producers.values()];
  for (let i = 0; i < all.length; i += 2) {
    const consume = async (producer: types.Producer) => {
      const consumer = await transport.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities, paused: true, appData: { transportId: transport.id } });
      ceilings.remember(consumer, producer);
      return consumer;
    };
    const [audio, video] = [await consume(all[i]), await consume(all[i + 1])];
    peer.consumers.set(audio.id, audio);
    peer.consumers.set(video.id, video);
    streams.push({ audio, video });
  }
  const mayBeSent = async () => (await transport.getStats()).map((s) => s.availableOutgoingBitrate).find((b) => b !== undefined) ?? Infinity;
  return { peer, transport, streams, mayBeSent };
}

describe('what the server may send a meeting point follows what it asked to receive', () => {
  it('saving data, the stage at its smallest layer and the chair heard: a little over what that takes, not the starting megabit', async () => {
    const ceilings = new DownlinkCeilings(LOWER_AFTER_MS);
    const { peer, streams, mayBeSent } = await receivingPoint('Xã Tân Lập', ceilings);
    // mediasoup's own: its starting estimate (600 kbps on this transport), before any ceiling.
    expect(await mayBeSent()).toBe(600_000);
    const [stage] = streams;
    await stage.video.setPreferredLayers({ spatialLayer: 0 });
    await Promise.all([stage.video.resume(), stage.audio.resume()]);
    ceilings.update(peer);
    // The smallest layer's picture and 64 kbps of sound, with a third more for key frames and headers.
    await expect.poll(mayBeSent).toBeLessThanOrEqual(250_000);

    // The operator turns data saving off: the stage at full size and seven thumbnails. The
    // ceiling rises at once, to above what they take, so the estimate may climb to them.
    await stage.video.setPreferredLayers({ spatialLayer: 2 });
    for (const { video } of streams.slice(1)) {
      await video.setPreferredLayers({ spatialLayer: 0, temporalLayer: 0 });
      await video.resume();
    }
    ceilings.update(peer);
    const full = CAMERA_LAYERS[2].maxBitrate + 7 * CAMERA_LAYERS[0].maxBitrate + 64_000;
    expect(await ceilingOf(peer, ceilings)).toBeGreaterThan(full);
  });

  it('a thumbnail paused comes off the ceiling only after a while; one resumed goes on at once', async () => {
    const ceilings = new DownlinkCeilings(LOWER_AFTER_MS);
    const { peer, streams, mayBeSent } = await receivingPoint('Xã Hòa Bình', ceilings);
    const [stage, still] = streams;
    await stage.video.setPreferredLayers({ spatialLayer: 0 });
    await still.video.setPreferredLayers({ spatialLayer: 0 });
    await Promise.all([stage.video.resume(), stage.audio.resume(), still.video.resume()]);
    ceilings.update(peer);
    await expect.poll(mayBeSent).toBeLessThanOrEqual(420_000);
    const withStill = await ceilingOf(peer, ceilings);
    expect(withStill).toBeGreaterThan(250_000);

    // The still frame came: its stream is paused, but the ceiling stays for now.
    await still.video.pause();
    ceilings.update(peer);
    expect(await ceilingOf(peer, ceilings)).toBe(withStill);
    // Long enough without it: down to what the stage and the sound take.
    await expect.poll(() => ceilingOf(peer, ceilings), { timeout: 5000 }).toBeLessThanOrEqual(250_000);
    await expect.poll(mayBeSent).toBeLessThanOrEqual(250_000);
    // The next still is asked for: up at once.
    await still.video.resume();
    ceilings.update(peer);
    expect(await ceilingOf(peer, ceilings)).toBe(withStill);
  });

  it('nothing flowing yet (a point joining, its streams still paused): no ceiling, so its first stage is not held down', async () => {
    const ceilings = new DownlinkCeilings(LOWER_AFTER_MS);
    const { peer } = await receivingPoint('Phường Đông Hải', ceilings);
    ceilings.update(peer);
    expect(await ceilingOf(peer, ceilings)).toBe(Infinity);
  });
});

/** The ceiling last told to the point's receive transport (Infinity: none). */
async function ceilingOf(peer: Peer, ceilings: DownlinkCeilings): Promise<number> {
  await new Promise((resolve) => setImmediate(resolve));
  const [transport] = peer.transports.values();
  return ceilings.toldFor(transport.id) ?? Infinity;
}
