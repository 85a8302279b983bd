// The bare mediasoup-client page: camera preview on load; Join sends camera and microphone
// (the app's simulcast ladder) and shows every remote stream as a plain <video> at full layer.
import { Device } from 'mediasoup-client';

const socket = new WebSocket(location.hash.slice(1));
let nextId = 1;
const pending = new Map<number, { resolve: (d: any) => void; reject: (e: Error) => void }>();
socket.onmessage = (event) => {
  const { id, data, error } = JSON.parse(event.data);
  const waiter = pending.get(id);
  pending.delete(id);
  if (error) waiter?.reject(new Error(error));
  else waiter?.resolve(data);
};
const opened = new Promise((resolve) => (socket.onopen = resolve));
const request = async (method: string, data: object = {}): Promise<any> => {
  await opened;
  const id = nextId++;
  socket.send(JSON.stringify({ id, method, data }));
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
};

const preview = navigator.mediaDevices.getUserMedia({ audio: true, video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 25, max: 30 } } });

async function join(): Promise<void> {
  const stream = await preview;
  const { rtpCapabilities, producerIds } = await request('join');
  let device: Device;
  try {
    device = await Device.factory();
  } catch {
    device = new Device({ handlerName: 'Chrome111' });
  }
  await device.load({ routerRtpCapabilities: rtpCapabilities });
  const send = device.createSendTransport(await request('createTransport'));
  send.on('connect', ({ dtlsParameters }, done, fail) => void request('connect', { transportId: send.id, dtlsParameters }).then(done, fail));
  send.on('produce', ({ kind, rtpParameters }, done, fail) => void request('produce', { transportId: send.id, kind, rtpParameters }).then(done, fail));
  const recv = device.createRecvTransport(await request('createTransport'));
  recv.on('connect', ({ dtlsParameters }, done, fail) => void request('connect', { transportId: recv.id, dtlsParameters }).then(done, fail));
  await Promise.all(
    producerIds.map(async (producerId: string) => {
      const params = await request('consume', { transportId: recv.id, producerId, rtpCapabilities: device.recvRtpCapabilities });
      const consumer = await recv.consume(params);
      if (consumer.kind === 'video') {
        const video = document.createElement('video');
        video.autoplay = true;
        video.muted = true;
        video.playsInline = true;
        video.width = 320;
        video.srcObject = new MediaStream([consumer.track]);
        document.getElementById('videos')!.append(video);
      } else {
        const audio = new Audio();
        audio.autoplay = true;
        audio.srcObject = new MediaStream([consumer.track]);
      }
      await request('resume', { consumerId: params.id });
    }),
  );
  await send.produce({ track: stream.getAudioTracks()[0] });
  await send.produce({
    track: stream.getVideoTracks()[0],
    encodings: [
      { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 120_000 },
      { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 350_000 },
      { rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: 900_000 },
    ],
  });
}

document.getElementById('join')!.addEventListener('click', () => void join().catch((e: unknown) => console.error('join failed', e)));
