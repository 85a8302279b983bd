// A meeting point on a busy server: the answer to its request for a stream comes after the
// request timed out. The point asks again and receives the stream (the server answers a repeated
// ask with the consumer it made), instead of showing that point dark all briefing; a video moved
// on screen while its ask is repeated plays where it is shown. The point's media code runs on
// mediasoup-client's fake handler, against a real server.
import { Device } from 'mediasoup-client';
import * as fakeParameters from 'mediasoup-client/fakeParameters';
import { FakeHandler } from 'mediasoup-client/handlers/FakeHandler';
import { describe, expect, it } from 'vitest';
import { MediaSession } from '../../renderer/src/briefing/MediaSession';
import type { Placement } from '../../renderer/src/briefing/receiveWish';
import { producerRtpParameters } from '../../bench/sfu/rtp';
import { type SignalingClient, SignalingError } from '../../renderer/src/briefing/SignalingClient';
import { publishInvites } from '../support/invitations';
import { OPUS_RTP_PARAMETERS, type TestClient } from '../support/sfuTestClient';
import { serverForTests } from '../support/serverForTests';

const { server, client } = serverForTests({ allowPlainRtp: true });

/** The point's link to the server, on which the answers to the first `lost` requests of `method`
 * arrive too late: the server did the work, the point's request timed out. */
function busyLink(point: TestClient, method: string, lost: number): { link: Pick<SignalingClient, 'request'>; asked: () => number } {
  let asked = 0;
  const link: Pick<SignalingClient, 'request'> = {
    request: async (name, data) => {
      const reply = await point.request(name, data);
      if (name === method && ++asked <= lost) throw new SignalingError('timeout', `${name}: no reply from server`);
      if (!reply.ok) throw new SignalingError(reply.error?.code ?? 'internal', reply.error?.message ?? 'refused');
      return reply.data;
    },
  };
  return { link, asked: () => asked };
}

/** A point receiving a commune's microphone over a link that loses the first `lost` answers to
 * `method`: what it was given, and how often it asked. */
async function receiveOverBusyLink(code: string, method: string, lost: number) {
  const invites = await publishInvites(server(), code, ['Xã Tân Lập', 'Xã Phú Sơn']);
  const sender = await client();
  await sender.join(code, 'Xã Phú Sơn', { credential: invites.points['Xã Phú Sơn'] });
  const send = (await sender.request('createPlainTransport', { direction: 'send' })).data;
  const mic: string = (await sender.request('produce', { transportId: send.id, kind: 'audio', source: 'mic', rtpParameters: OPUS_RTP_PARAMETERS })).data.producerId;
  const senderPeerId: string = sender.lastJoin.peerId;

  const point = await client();
  const caps = await point.request('getRouterRtpCapabilities', { briefingCode: code });
  await point.join(code, 'Xã Tân Lập', { credential: invites.points['Xã Tân Lập'] });
  const device = await Device.factory({ handlerFactory: FakeHandler.createFactory(fakeParameters) });
  await device.load({ routerRtpCapabilities: caps.data.routerRtpCapabilities });
  const tracks: { peerId: string; track: MediaStreamTrack | null }[] = [];
  const { link, asked } = busyLink(point, method, lost);
  const media = new MediaSession(link, device, { track: (peerId, _kind, track) => tracks.push({ peerId, track }), failed: () => undefined }, false);
  await media.openTransports();
  await media.receive([[senderPeerId, { id: mic, kind: 'audio', source: 'mic', paused: false }]]);
  const consumers = [...media.consumers.values()].map((e) => [e.consumer.producerId, e.flowing]);
  media.close();
  return { mic, senderPeerId, asked: asked(), tracks: tracks.map((t) => [t.peerId, t.track !== null]), consumers };
}

describe('a stream whose answer came too late', () => {
  it('is asked for again and received, once', async () => {
    const seen = await receiveOverBusyLink('tra-loi-muon', 'consumeMany', 2);
    // Asked three times, the third answer in time: one stream, flowing, its track given once.
    expect(seen.asked).toBe(3);
    expect(seen.tracks).toEqual([[seen.senderPeerId, true]]);
    expect(seen.consumers).toEqual([[seen.mic, true]]);
  });

  it('made, but its resume unanswered, is resumed by the next ask', async () => {
    const seen = await receiveOverBusyLink('tiep-tuc-muon', 'resumeConsumers', 1);
    expect(seen.asked).toBe(2);
    expect(seen.tracks).toEqual([[seen.senderPeerId, true]]);
    expect(seen.consumers).toEqual([[seen.mic, true]]);
  });
});

describe('a video whose resume is asked again while its place changes', () => {
  it('plays where it is shown once the repeated ask is answered', async () => {
    const code = 'doi-cho-khi-hoi-lai';
    const invites = await publishInvites(server(), code, ['Xã Tân Lập', 'Xã Phú Sơn']);
    const sender = await client();
    await sender.join(code, 'Xã Phú Sơn', { credential: invites.points['Xã Phú Sơn'] });
    const send = (await sender.request('createPlainTransport', { direction: 'send' })).data;
    const camera: string = (await sender.request('produce', { transportId: send.id, kind: 'video', source: 'camera', rtpParameters: producerRtpParameters.video })).data.producerId;

    const point = await client();
    const caps = await point.request('getRouterRtpCapabilities', { briefingCode: code });
    await point.join(code, 'Xã Tân Lập', { credential: invites.points['Xã Tân Lập'] });
    const device = await Device.factory({ handlerFactory: FakeHandler.createFactory(fakeParameters) });
    await device.load({ routerRtpCapabilities: caps.data.routerRtpCapabilities });
    const { link, asked } = busyLink(point, 'resumeConsumers', 1);
    const media = new MediaSession(link, device, { track: () => undefined, failed: () => undefined }, false);
    let place: Placement = 'stage';
    media.placement = () => place;
    await media.openTransports();

    // The first resume's answer is lost; while the point waits to ask again, the video leaves the
    // stage and comes back (the active speaker changing twice), the second time just before the
    // repeated ask is answered.
    const receiving = media.receive([[sender.lastJoin.peerId, { id: camera, kind: 'video', source: 'camera', paused: false }]]);
    await expect.poll(() => asked()).toBe(1);
    await media.replace();
    place = 'hidden';
    await media.replace();
    place = 'stage';
    await receiving;
    await media.replace();

    const [entry] = media.consumers.values();
    // Shown on the stage: enabled in this browser, not only resumed on the server.
    expect([entry.flowing, entry.consumer.paused, entry.consumer.track.enabled]).toEqual([true, false, true]);
    media.close();
  });
});

describe('a media connection the server refuses', () => {
  // The point does not wait for the server to take its DTLS parameters before asking for its
  // streams to flow (a round trip off every join); a refusal must still be heard, not leave the
  // point waiting for media that cannot come.
  it('is reported, while the streams asked for are still received', async () => {
    const code = 'ket-noi-bi-tu-choi';
    const invites = await publishInvites(server(), code, ['Xã Tân Lập', 'Xã Phú Sơn']);
    const sender = await client();
    await sender.join(code, 'Xã Phú Sơn', { credential: invites.points['Xã Phú Sơn'] });
    const send = (await sender.request('createPlainTransport', { direction: 'send' })).data;
    const mic: string = (await sender.request('produce', { transportId: send.id, kind: 'audio', source: 'mic', rtpParameters: OPUS_RTP_PARAMETERS })).data.producerId;

    const point = await client();
    const caps = await point.request('getRouterRtpCapabilities', { briefingCode: code });
    await point.join(code, 'Xã Tân Lập', { credential: invites.points['Xã Tân Lập'] });
    const device = await Device.factory({ handlerFactory: FakeHandler.createFactory(fakeParameters) });
    await device.load({ routerRtpCapabilities: caps.data.routerRtpCapabilities });
    const link: Pick<SignalingClient, 'request'> = {
      // The real server, but naming a transport that is not the point's: refused as not found.
      request: async (name, data) => {
        const reply = await point.request(name, name === 'connectTransport' ? { ...data, transportId: 'not-my-transport' } : data);
        if (!reply.ok) throw new SignalingError(reply.error?.code ?? 'internal', reply.error?.message ?? 'refused');
        return reply.data;
      },
    };
    const failures: [string, unknown][] = [];
    const media = new MediaSession(link, device, { track: () => undefined, failed: (what, error) => failures.push([what, error]) }, false);
    await media.openTransports();
    await media.receive([[sender.lastJoin.peerId, { id: mic, kind: 'audio', source: 'mic', paused: false }]]);

    expect([...media.consumers.values()].map((e) => [e.consumer.producerId, e.flowing])).toEqual([[mic, true]]);
    await expect.poll(() => failures.length).toBe(1);
    expect(failures[0][1]).toBeInstanceOf(SignalingError);
    expect((failures[0][1] as SignalingError).code).toBe('not_found');
    media.close();
  });
});
