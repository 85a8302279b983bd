// A meeting point's two WebRTC transports to the SFU: made on the server, wired to the device,
// and given new ICE parameters when media breaks while signaling still works.
import type { Device, types } from 'mediasoup-client';
import { markJoin } from './joinMarks';
import type { SignalingClient } from './SignalingClient';

/** A transport that stays disconnected this long gets an ICE restart. */
const ICE_RESTART_AFTER_MS = 3000;

export interface TransportOptions {
  device: Device;
  signaling: Pick<SignalingClient, 'request'>;
  /** Only through the TURN relay: for networks that let nothing else through. */
  relayOnly: boolean;
  /** Whether the media session was closed meanwhile (nothing to restart then). */
  isClosed: () => boolean;
}

export async function createTransport(direction: 'send' | 'recv', { device, signaling, relayOnly, isClosed }: TransportOptions): Promise<types.Transport> {
  const info = await signaling.request('createTransport', { direction });
  const params: types.TransportOptions = {
    ...(info as unknown as types.TransportOptions),
    iceServers: info.iceServers,
    iceTransportPolicy: relayOnly ? 'relay' : 'all',
  };
  const transport = direction === 'send' ? device.createSendTransport(params) : device.createRecvTransport(params);
  transport.on('connect', ({ dtlsParameters }, callback, errback) => {
    signaling.request('connectTransport', { transportId: transport.id, dtlsParameters: dtlsParameters }).then(() => callback(), errback);
  });
  if (direction === 'send') {
    transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      signaling
        .request('produce', { transportId: transport.id, kind, source: appData.source as 'mic' | 'camera', rtpParameters: rtpParameters })
        .then(({ producerId }) => callback({ id: producerId }), errback);
    });
  }
  restartIceWhenBroken(transport, signaling, isClosed);
  return transport;
}

/** Media can break while signaling still works (a NAT rebinding, a link switching from Wi-Fi
 * to 4G): new ICE parameters from the server let the browser find a path again. */
function restartIceWhenBroken(transport: types.Transport, signaling: Pick<SignalingClient, 'request'>, isClosed: () => boolean): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const restart = async () => {
    if (isClosed() || transport.closed) return;
    try {
      const { iceParameters } = await signaling.request('restartIce', { transportId: transport.id });
      await transport.restartIce({ iceParameters: iceParameters });
    } catch {
      // The signaling link is down too: the session reconnects and builds new transports.
    }
  };
  transport.on('connectionstatechange', (state) => {
    if (state === 'connected' && transport.direction === 'recv') markJoin('media-connected');
    clearTimeout(timer);
    if (state === 'failed') void restart();
    else if (state === 'disconnected') timer = setTimeout(() => void restart(), ICE_RESTART_AFTER_MS);
  });
}
