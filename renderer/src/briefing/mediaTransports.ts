// A meeting point's WebRTC device and its two transports to the SFU: made on the server, wired
// to the device, and given new ICE parameters when media breaks while signaling still works.
import { Device, type types } from 'mediasoup-client';
import type { ResponseData } from '../../../sfu-server/protocol';
import { markJoin } from './joinMarks';
import type { SignalingClient } from './SignalingClient';

/** The page's WebRTC device, loaded with what the briefing's router can send and receive. */
export async function loadDevice(signaling: Pick<SignalingClient, 'request'>, briefingCode: string): Promise<Device> {
  const { routerRtpCapabilities } = await signaling.request('getRouterRtpCapabilities', { briefingCode });
  let device: Device;
  try {
    device = await Device.factory();
  } catch {
    // Headless and embedded Chromium user agents are not always recognised; any recent
    // Chromium (Electron's included) works with this handler.
    device = new Device({ handlerName: 'Chrome111' });
  }
  await device.load({ routerRtpCapabilities: routerRtpCapabilities as types.RtpCapabilities });
  return device;
}

/** A transport that stays disconnected this long gets an ICE restart. */
const ICE_RESTART_AFTER_MS = 3000;

export interface TransportOptions {
  device: Device;
  signaling: Pick<SignalingClient, 'request'>;
  /** Only through the TURN relay: for networks that let nothing else through. */
  relayOnly: boolean;
  /** Whether the media session was closed meanwhile (nothing to restart then). */
  isClosed: () => boolean;
  /** The server did not take the transport's DTLS parameters: its media cannot connect. */
  connectFailed: (error: unknown) => void;
}

export type TransportInfo = ResponseData<'createTransport'>;

/** Both transports asked for at once. Sent right behind the join, they are made the moment it
 * seats the point (the server handles a link's requests in turn), a round trip sooner than asked
 * after its answer; refused as `not_joined` when it did not seat it, whose answer says why. */
export function requestTransports(signaling: Pick<SignalingClient, 'request'>): Promise<[TransportInfo, TransportInfo]> {
  const both = Promise.all([signaling.request('createTransport', { direction: 'send' }), signaling.request('createTransport', { direction: 'recv' })]);
  // Awaited by whoever opens the transports; a join that did not seat the point never does.
  both.catch(() => undefined);
  return both;
}

/** Wires a transport the server made to the device. */
export function createTransport(direction: 'send' | 'recv', info: TransportInfo, { device, signaling, relayOnly, isClosed, connectFailed }: TransportOptions): types.Transport {
  const params: types.TransportOptions = {
    ...(info as unknown as types.TransportOptions),
    iceServers: info.iceServers,
    iceTransportPolicy: relayOnly ? 'relay' : 'all',
  };
  const transport = direction === 'send' ? device.createSendTransport(params) : device.createRecvTransport(params);
  // Not waited for: the server answers a link's requests in turn, so the resume or produce that
  // follows is handled after it anyway. Waited for, it held every join's first streams back by a
  // round trip (mediasoup-client wires no track up until the callback). A refusal still counts.
  transport.on('connect', ({ dtlsParameters }, callback) => {
    signaling.request('connectTransport', { transportId: transport.id, dtlsParameters: dtlsParameters }).catch((error: unknown) => {
      if (!isClosed() && !transport.closed) connectFailed(error);
    });
    callback();
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
