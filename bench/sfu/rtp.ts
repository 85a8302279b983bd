// Generated media for the forwarding benchmark: Opus-sized audio packets and VP8 packets in three
// simulcast layers with real VP8 payload descriptors and key frames (what the SFU reads to switch
// layers). Each payload ends with the send time, so a sink can compute the delay the SFU added.
import dgram from 'node:dgram';
import { CAMERA_LAYERS } from '../../sfu-server/protocol/rules';

export const AUDIO = { ssrc: 11_110_000, payloadType: 100 };
export const VIDEO = { ssrcs: [22_220_000, 22_220_001, 22_220_002], payloadType: 101 };
/** Packets per frame of each layer, at 30 frames/s. */
const PACKETS_PER_FRAME = [1, 2, 4];
/** Each layer's packet size, so the layer carries what the app's camera sends on it
 * (`CAMERA_LAYERS`): the server lets a point's link carry what it asked by those rates, and
 * streams twice as heavy (1,100-byte packets once) found no layer that fit. */
const VIDEO_PAYLOAD = CAMERA_LAYERS.map((layer, index) => Math.round(layer.maxBitrate / 8 / 30 / PACKETS_PER_FRAME[index]));
const AUDIO_PAYLOAD = 100;

export const producerRtpParameters = {
  audio: {
    mid: '0',
    codecs: [{ mimeType: 'audio/opus', payloadType: AUDIO.payloadType, clockRate: 48000, channels: 2, parameters: {}, rtcpFeedback: [] }],
    headerExtensions: [],
    encodings: [{ ssrc: AUDIO.ssrc }],
    rtcp: { cname: 'bench', reducedSize: true },
  },
  video: {
    mid: '1',
    codecs: [
      {
        mimeType: 'video/VP8',
        payloadType: VIDEO.payloadType,
        clockRate: 90000,
        parameters: {},
        rtcpFeedback: [{ type: 'nack', parameter: '' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
      },
    ],
    headerExtensions: [],
    encodings: VIDEO.ssrcs.map((ssrc) => ({ ssrc })),
    rtcp: { cname: 'bench', reducedSize: true },
  },
};

/** Chromium's VP8 simulcast: every layer has three temporal layers (L1T3; mediasoup-client notes
 * Chrome uses L1T3 when none is asked), its frames cycling through temporal layers 0, 2, 1, 2. The
 * recorded video is encoded in this pattern (bench/browser/media.ts) and replayed with it. */
export const TEMPORAL_PATTERN = [0, 2, 1, 2] as const;

/** The replayed video as produced: the SFU needs to know of the temporal layers to forward a
 * thumbnail at its lowest, as it does a browser's. */
export const replayedVideoRtpParameters = {
  ...producerRtpParameters.video,
  encodings: VIDEO.ssrcs.map((ssrc) => ({ ssrc, scalabilityMode: 'L1T3' })),
};

function header(payloadType: number, marker: boolean, seq: number, timestamp: number, ssrc: number): Buffer {
  const h = Buffer.alloc(12);
  h[0] = 0x80;
  h[1] = (marker ? 0x80 : 0) | payloadType;
  h.writeUInt16BE(seq & 0xffff, 2);
  h.writeUInt32BE(timestamp >>> 0, 4);
  h.writeUInt32BE(ssrc >>> 0, 8);
  return h;
}

function stamped(body: Buffer): Buffer {
  body.writeDoubleBE(performance.now(), body.length - 8);
  return body;
}

/** A VP8 payload: descriptor (S bit on the first packet of a frame, 15-bit picture id) and, on a
 * key frame's first packet, the key frame header with its start code. */
function vp8Payload(layer: number, first: boolean, key: boolean, pictureId: number): Buffer {
  const body = Buffer.alloc(VIDEO_PAYLOAD[layer]);
  body[0] = first ? 0x90 : 0x80;
  body[1] = 0x80;
  body[2] = 0x80 | ((pictureId >> 8) & 0x7f);
  body[3] = pictureId & 0xff;
  if (first) {
    body[4] = key ? 0x10 : 0x11;
    if (key) body.set([0x00, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0x68, 0x01], 5);
  }
  return stamped(body);
}

/** The SSRCs an RTCP compound packet asks key frames of: picture loss indications (the media
 * SSRC) and full intra requests (each FCI entry's SSRC), RFC 4585 / RFC 5104. */
function keyFrameRequests(packet: Buffer): number[] {
  const ssrcs: number[] = [];
  for (let offset = 0; offset + 4 <= packet.length; ) {
    const packetType = packet[offset + 1];
    const format = packet[offset] & 0x1f;
    const end = Math.min(packet.length, offset + (packet.readUInt16BE(offset + 2) + 1) * 4);
    // Anything outside 192–223 is not RTCP: the rest is not read.
    if (packetType < 192 || packetType > 223) break;
    if (packetType === 206 && format === 1 && offset + 12 <= end) ssrcs.push(packet.readUInt32BE(offset + 8));
    if (packetType === 206 && format === 4) for (let fci = offset + 12; fci + 8 <= end; fci += 8) ssrcs.push(packet.readUInt32BE(fci));
    offset = end;
  }
  return ssrcs;
}

/** Seconds from 1900 (NTP's epoch) to 1970 (the Unix one). */
const NTP_EPOCH_OFFSET_S = 2_208_988_800;

/** An RTCP sender report (RFC 3550 6.4.1): which RTP timestamp goes with which wall-clock time. */
function senderReport(ssrc: number, rtpTimestamp: number, packets: number, octets: number): Buffer {
  const report = Buffer.alloc(28);
  report[0] = 0x80;
  report[1] = 200;
  report.writeUInt16BE(6, 2);
  report.writeUInt32BE(ssrc, 4);
  const ntpSeconds = Date.now() / 1000 + NTP_EPOCH_OFFSET_S;
  report.writeUInt32BE(Math.floor(ntpSeconds) >>> 0, 8);
  report.writeUInt32BE(Math.floor((ntpSeconds % 1) * 2 ** 32) >>> 0, 12);
  report.writeUInt32BE(rtpTimestamp >>> 0, 16);
  report.writeUInt32BE(packets >>> 0, 20);
  report.writeUInt32BE(octets >>> 0, 24);
  return report;
}

export interface Generator {
  sent: { audio: number; video: number[] };
  /** Bytes sent so far, RTP and RTCP: what the point reports of its uplink. */
  bytesSent(): number;
  stop(): void;
}

/** Opus's 20 ms silence frame: a real packet a browser decodes. */
const OPUS_SILENCE = Buffer.from([0xf8, 0xff, 0xfe]);

/** VP8 frames to send instead of the generated ones, per simulcast layer (lowest first), by their
 * 30 fps slot and replayed in a loop: real encoded video a browser decodes (see
 * bench/browser/media.ts). An empty slot is a frame the encoder dropped to hold its rate: nothing
 * is sent in it, as a browser sends nothing. Packets then carry no send time. */
export type RecordedLayers = (Buffer | null)[][];

/** A recorded frame's place among the temporal layers, as a browser writes it in each packet's
 * VP8 payload descriptor (RFC 7741: picture id, TL0PICIDX, temporal layer and layer-sync bit). */
interface TemporalPlace {
  layer: number;
  tl0PictureIndex: number;
  /** Depends on no frame of its own or a higher layer since the last base frame: a receiver can
   * start taking this layer here. */
  sync: boolean;
}

/** A recorded frame's bytes per packet, about what a browser puts in one. */
const RECORDED_PAYLOAD = 1100;

function packetize(frame: Buffer, pictureId: number, temporal: TemporalPlace): Buffer[] {
  const packets: Buffer[] = [];
  for (let offset = 0; offset < frame.length; offset += RECORDED_PAYLOAD) {
    const descriptor = Buffer.from([
      offset === 0 ? 0x90 : 0x80,
      0xe0,
      0x80 | ((pictureId >> 8) & 0x7f),
      pictureId & 0xff,
      temporal.tl0PictureIndex & 0xff,
      (temporal.layer << 6) | (temporal.sync ? 0x20 : 0),
    ]);
    packets.push(Buffer.concat([descriptor, frame.subarray(offset, offset + RECORDED_PAYLOAD)]));
  }
  return packets;
}

/** Sends 50 audio packets/s and (unless audio-only) 30 video frames/s per layer to the SFU's plain
 * transport. */
export function startGenerator(
  target: { ip: string; port: number },
  options: {
    video?: boolean;
    keyFrameEveryMs?: number;
    recorded?: RecordedLayers;
    /** The first key-frame requests this many are lost on the way, as on a loaded link. */
    lostKeyFrameRequests?: number;
  } = {},
): Generator {
  const { video: withVideo = true, keyFrameEveryMs = 1000, recorded } = options;
  let requestsToLose = options.lostKeyFrameRequests ?? 0;
  const socket = dgram.createSocket('udp4');
  // A real-time encoder answers a key-frame request (PLI or FIR) with a key frame at once. The
  // SFU asks for one whenever a receiver starts or switches layers: a sender that ignored it made
  // every join wait for the next periodic key frame, up to a second, and the join figures said
  // more about that wait's luck than about the app.
  // Asked per layer (its SSRC), answered on that layer only, as a simulcast encoder does.
  const keyFrameAsked = new Set<number>();
  socket.on('message', (packet: Buffer) => {
    for (const ssrc of keyFrameRequests(packet)) {
      if (!VIDEO.ssrcs.includes(ssrc)) continue;
      if (requestsToLose > 0) requestsToLose--;
      else keyFrameAsked.add(VIDEO.ssrcs.indexOf(ssrc));
    }
  });
  /** Each layer's recorded slot to send next; slot 0 of a recording is a key frame. */
  const replayed = VIDEO.ssrcs.map(() => 0);
  const tl0PictureIndex = VIDEO.ssrcs.map(() => 0);
  // Each simulcast stream numbers its own frames, as a browser's do: a frame the encoder dropped
  // takes no number, so a receiver sees no gap to wait on.
  const recordedPictureId = VIDEO.ssrcs.map(() => 0);
  const seq = { audio: 0, video: [0, 0, 0] };
  const sent = { audio: 0, video: [0, 0, 0] };
  let pictureId = 0;
  let frame = 0;
  /** Each stream's payload bytes so far; when the last audio packet and video frame went out. */
  const octets = new Map<number, number>();
  const lastTickAt = { audio: 0, video: 0 };
  let bytesSent = 0;
  const send = (packet: Buffer) => {
    bytesSent += packet.length;
    const ssrc = packet.readUInt32BE(8);
    octets.set(ssrc, (octets.get(ssrc) ?? 0) + packet.length - 12);
    socket.send(packet, target.port, target.ip);
  };
  // Sender reports every second, as a browser sends them: the SFU maps each simulcast layer's
  // timestamps to the others' through them, and switches a receiver between layers only once it
  // has them. Without them every receiver stayed on the layer it first got.
  const report = () => {
    const packetsOf = (ssrc: number) => (ssrc === AUDIO.ssrc ? sent.audio : sent.video[VIDEO.ssrcs.indexOf(ssrc)]);
    const now = performance.now();
    // The RTP clock now: the last packet's timestamp (as the tick below writes it) plus the time since.
    const rtpNow = (ssrc: number) =>
      ssrc === AUDIO.ssrc ? seq.audio * 960 + Math.round((now - lastTickAt.audio) * 48) : frame * 3000 + Math.round((now - lastTickAt.video) * 90);
    for (const [ssrc, bytes] of octets) {
      bytesSent += 28;
      socket.send(senderReport(ssrc, rtpNow(ssrc), packetsOf(ssrc), bytes), target.port, target.ip);
    }
  };
  // The first reports go out with the first packets, as a browser's do: the SFU reconsiders every
  // receiver's layers when a stream's first report comes, and one coming during a join made that
  // join wait for the next periodic key frame.
  const firstReports = setTimeout(report, 100);
  const reports = setInterval(report, 1000);
  const audio = setInterval(() => {
    const payload = recorded ? OPUS_SILENCE : stamped(Buffer.alloc(AUDIO_PAYLOAD));
    send(Buffer.concat([header(AUDIO.payloadType, false, seq.audio++, seq.audio * 960, AUDIO.ssrc), payload]));
    lastTickAt.audio = performance.now();
    sent.audio++;
  }, 20);
  const video = setInterval(() => {
    if (!withVideo) return;
    frame++;
    lastTickAt.video = performance.now();
    pictureId = (pictureId + 1) & 0x7fff;
    const periodicKey = frame % Math.round(keyFrameEveryMs / 33) === 1;
    VIDEO.ssrcs.forEach((ssrc, layer) => {
      const key = periodicKey || keyFrameAsked.has(layer);
      if (keyFrameAsked.delete(layer)) replayed[layer] = 0;
      if (recorded) {
        const slots = recorded[layer];
        const slot = replayed[layer]++ % slots.length;
        const recordedFrame = slots[slot];
        if (!recordedFrame) return;
        const place = slot % TEMPORAL_PATTERN.length;
        const temporalLayer = TEMPORAL_PATTERN[place];
        if (temporalLayer === 0) tl0PictureIndex[layer]++;
        recordedPictureId[layer] = (recordedPictureId[layer] + 1) & 0x7fff;
        // The pattern's second half (a layer-1 frame, then a layer-2 frame that refers to it and
        // the base) is where a receiver can step up; its first layer-2 frame refers to the last
        // cycle's layer-1 frame, and so does the second when this cycle's layer-1 frame was dropped.
        const sync = place === 2 || (place === 3 && slots[slot - 1] !== null);
        const payloads = packetize(recordedFrame, recordedPictureId[layer], { layer: temporalLayer, tl0PictureIndex: tl0PictureIndex[layer], sync });
        payloads.forEach((payload, p) => send(Buffer.concat([header(VIDEO.payloadType, p === payloads.length - 1, seq.video[layer]++, frame * 3000, ssrc), payload])));
        sent.video[layer] += payloads.length;
        return;
      }
      for (let p = 0; p < PACKETS_PER_FRAME[layer]; p++) {
        const last = p === PACKETS_PER_FRAME[layer] - 1;
        send(Buffer.concat([header(VIDEO.payloadType, last, seq.video[layer]++, frame * 3000, ssrc), vp8Payload(layer, p === 0, key, pictureId)]));
        sent.video[layer]++;
      }
    });
  }, 33);
  return {
    sent,
    bytesSent: () => bytesSent,
    stop() {
      clearInterval(audio);
      clearInterval(video);
      clearTimeout(firstReports);
      clearInterval(reports);
      socket.close();
    },
  };
}

export interface SinkStats {
  packets: number;
  /** How many streams (SSRCs) arrived. */
  streams: number;
  /** Sequence numbers missing between the first and the last received, over all streams. */
  missing: number;
  delaysMs: number[];
}

/** A meeting point that only receives: counts packets, gaps and the delay added on the way. */
export class Sink {
  readonly socket = dgram.createSocket('udp4');
  private readonly streams = new Map<number, { first: number; last: number; count: number }>();
  stats: SinkStats = { packets: 0, streams: 0, missing: 0, delaysMs: [] };
  private counting = false;
  private readonly createdAt = performance.now();
  /** Bytes received so far, counted or not: what the point reports of its downlink. */
  bytesReceived = 0;

  async bind(): Promise<number> {
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    this.socket.on('message', (packet) => this.receive(packet));
    return this.socket.address().port;
  }

  /** Counts from now on; what arrived while consumers were being set up is left out. */
  startCounting(): void {
    this.streams.clear();
    this.stats = { packets: 0, streams: 0, missing: 0, delaysMs: [] };
    this.counting = true;
  }

  finish(): SinkStats {
    this.counting = false;
    let missing = 0;
    for (const s of this.streams.values()) missing += s.last - s.first + 1 - s.count;
    this.stats.missing = Math.max(0, missing);
    this.stats.streams = this.streams.size;
    return this.stats;
  }

  private receive(packet: Buffer): void {
    this.bytesReceived += packet.length;
    // RTCP (packet types 192–223 share the port, RFC 5761) is not counted.
    if (!this.counting || packet.length < 20 || ((packet[1] & 0x7f) >= 64 && (packet[1] & 0x7f) <= 95)) return;
    const now = performance.now();
    // A packet sent before this sink existed belongs to an earlier measurement whose port this
    // sink reuses; it says nothing about this one.
    if (packet.readDoubleBE(packet.length - 8) < this.createdAt) return;
    const ssrc = packet.readUInt32BE(8);
    const seq = packet.readUInt16BE(2);
    const stream = this.streams.get(ssrc);
    if (!stream) this.streams.set(ssrc, { first: seq, last: seq, count: 1 });
    else {
      // Unwrap 16-bit sequence numbers against the last one seen.
      let unwrapped = seq + Math.floor(stream.last / 65536) * 65536;
      if (unwrapped < stream.last - 32768) unwrapped += 65536;
      stream.last = Math.max(stream.last, unwrapped);
      stream.count++;
    }
    this.stats.packets++;
    if (this.stats.delaysMs.length < 20_000) this.stats.delaysMs.push(now - packet.readDoubleBE(packet.length - 8));
  }

  close(): void {
    this.socket.close();
  }
}
