// An operator mutes the microphone while an old PC is still starting to send it (the join is
// under way): the microphone goes out muted, on the server too, not live. The point's media code
// runs on mediasoup-client's fake handler, against a real server whose answer to `produce` is
// held until the operator has pressed the switch.
import { FakeMediaStreamTrack } from 'fake-mediastreamtrack';
import { Device } from 'mediasoup-client';
import * as fakeParameters from 'mediasoup-client/fakeParameters';
import { FakeHandler } from 'mediasoup-client/handlers/FakeHandler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaSession } from '../../renderer/src/briefing/MediaSession';
import { type SignalingClient, SignalingError } from '../../renderer/src/briefing/SignalingClient';
import type { SfuServer } from '../../sfu-server/src/SfuServer';
import { publishInvites } from '../support/invitations';
import { clientPool } from '../support/sfuTestClient';
import { startTestServer } from '../support/testServer';

let server: SfuServer;
const { client, closeAll } = clientPool(() => server.url);
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  closeAll();
  await server.close();
});

describe('a switch pressed while the microphone starts', () => {
  it('is followed once it is sent: muted during the join, it goes out muted', async () => {
    const invites = await publishInvites(server, 'tat-mic-som', ['Xã Tân Lập', 'Xã Phú Sơn']);
    const point = await client();
    const caps = await point.request('getRouterRtpCapabilities', { briefingCode: 'tat-mic-som' });
    await point.join('tat-mic-som', 'Xã Tân Lập', { credential: invites.points['Xã Tân Lập'] });
    let release: () => void = () => undefined;
    const produceHeld = new Promise<void>((resolve) => (release = resolve));
    let producing: () => void = () => undefined;
    const produceAsked = new Promise<void>((resolve) => (producing = resolve));
    const link: Pick<SignalingClient, 'request'> = {
      request: async (method, data) => {
        const reply = await point.request(method, data);
        if (method === 'produce') {
          producing();
          await produceHeld;
        }
        if (!reply.ok) throw new SignalingError(reply.error?.code ?? 'internal', reply.error?.message ?? 'refused');
        return reply.data;
      },
    };
    const device = await Device.factory({ handlerFactory: FakeHandler.createFactory(fakeParameters) });
    await device.load({ routerRtpCapabilities: caps.data.routerRtpCapabilities });
    const media = new MediaSession(link, device, { track: () => undefined, failed: () => undefined }, false);
    await media.openTransports();
    const microphone = { getAudioTracks: () => [new FakeMediaStreamTrack({ kind: 'audio' })], getVideoTracks: () => [] } as unknown as MediaStream;

    const started = media.produce(microphone, { micMuted: false, cameraOff: false });
    await produceAsked;
    await media.setProducerPaused('mic', true);
    release();
    await started;

    expect(media.producers.get('mic')?.paused).toBe(true);
    // Another point sees it paused: the server holds it so.
    const other = await client();
    await other.join('tat-mic-som', 'Xã Phú Sơn', { credential: invites.points['Xã Phú Sơn'] });
    const seen = other.lastJoin.peers.flatMap((p: { producers: { source: string; paused: boolean }[] }) => p.producers);
    expect(seen.map((p: { source: string; paused: boolean }) => [p.source, p.paused])).toEqual([['mic', true]]);
    media.close();
  });
});
