// The reference for the browser benchmarks: a bare mediasoup 3.12 router with the smallest
// WebSocket signaling a mediasoup-client page needs, and none of our code. It serves the bare page
// (bench/browser/barePage.ts, bundled by esbuild) and takes plain-RTP senders in-process.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import esbuild from 'esbuild';
import type { types } from 'mediasoup';
import { WebSocketServer } from 'ws';
import { loadMediasoup } from '../../sfu-server/src/mediasoupLoader';
import { producerRtpParameters, replayedVideoRtpParameters } from '../sfu/rtp';

export interface BareServer {
  /** The page to open; it joins when its Join button is pressed. */
  pageUrl: string;
  /** A sending meeting point without a browser: where its generator sends. */
  addSender(): Promise<{ ip: string; port: number }>;
  workerPid: number;
  close(): Promise<void>;
}

type Handler = (data: Record<string, unknown>) => Promise<unknown>;

export async function startBareServer(): Promise<BareServer> {
  const bundle = await esbuild.build({
    entryPoints: [path.join(import.meta.dirname, 'barePage.ts')],
    bundle: true,
    format: 'esm',
    write: false,
    logLevel: 'error',
  });
  const script = bundle.outputFiles[0].text;
  const mediasoup = await loadMediasoup();
  const worker = await mediasoup.createWorker({ logLevel: 'warn' });
  const router = await worker.createRouter({
    mediaCodecs: [
      { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
      { kind: 'video', mimeType: 'video/VP8', clockRate: 90000 },
    ],
  });
  const producers: types.Producer[] = [];

  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/page.js')) {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      return res.end(script);
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><meta charset="utf-8"><title>bare</title><button id="join">Join</button><div id="videos"></div><script type="module" src="/page.js"></script>');
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket) => {
    const transports = new Map<string, types.WebRtcTransport>();
    const consumers = new Map<string, types.Consumer>();
    const handlers: Record<string, Handler> = {
      join: async () => ({ rtpCapabilities: router.rtpCapabilities, producerIds: producers.map((p) => p.id) }),
      createTransport: async () => {
        const transport = await router.createWebRtcTransport({ listenIps: ['127.0.0.1'], enableUdp: true, enableTcp: true, preferUdp: true });
        transports.set(transport.id, transport);
        return { id: transport.id, iceParameters: transport.iceParameters, iceCandidates: transport.iceCandidates, dtlsParameters: transport.dtlsParameters };
      },
      connect: async ({ transportId, dtlsParameters }) => transports.get(transportId as string)!.connect({ dtlsParameters: dtlsParameters as types.DtlsParameters }),
      produce: async ({ transportId, kind, rtpParameters }) => ({
        id: (await transports.get(transportId as string)!.produce({ kind: kind as types.MediaKind, rtpParameters: rtpParameters as types.RtpParameters })).id,
      }),
      consume: async ({ transportId, producerId, rtpCapabilities }) => {
        const consumer = await transports.get(transportId as string)!.consume({ producerId: producerId as string, rtpCapabilities: rtpCapabilities as types.RtpCapabilities, paused: true });
        consumers.set(consumer.id, consumer);
        return { id: consumer.id, producerId, kind: consumer.kind, rtpParameters: consumer.rtpParameters };
      },
      resume: async ({ consumerId }) => consumers.get(consumerId as string)!.resume(),
    };
    socket.on('message', (raw) => void answer(raw));
    const answer = async (raw: unknown) => {
      const { id, method, data } = JSON.parse(String(raw)) as { id: number; method: string; data: Record<string, unknown> };
      try {
        socket.send(JSON.stringify({ id, data: (await handlers[method](data)) ?? null }));
      } catch (error) {
        socket.send(JSON.stringify({ id, error: (error as Error).message }));
      }
    };
    socket.on('close', () => transports.forEach((t) => t.close()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    pageUrl: `http://127.0.0.1:${port}/#ws://127.0.0.1:${port}`,
    async addSender() {
      const transport = await router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: true, comedia: true });
      producers.push(await transport.produce({ kind: 'audio', rtpParameters: producerRtpParameters.audio }));
      producers.push(await transport.produce({ kind: 'video', rtpParameters: replayedVideoRtpParameters }));
      return { ip: '127.0.0.1', port: transport.tuple.localPort };
    },
    workerPid: worker.pid,
    async close() {
      wss.clients.forEach((c) => c.terminate());
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      worker.close();
    },
  };
}
