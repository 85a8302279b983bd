// A briefing relayed from server to server (central → province → communes): a province server
// takes a seat of the upper briefing with the role `relay` and moves media with mediasoup's pipe
// transports, one UDP flow per link carrying every stream once, whatever the communes behind it.
// These are the requests only a relay seat may make (sfu-server/src/chairing/permissions.ts).
import { z } from 'zod';

const id = z.string().min(1).max(128);
const MediaKind = z.enum(['audio', 'video']);
const MediaSource = z.enum(['mic', 'camera']);
/** Streams moved over one link in one request: a briefing of 200 points' cameras and microphones. */
export const PIPE_BATCH_MAX = 400;

/** The keys of the link's SRTP, exchanged over the signaling's TLS: the network between servers
 * is not trusted either. */
export const SrtpParameters = z.object({
  cryptoSuite: z.enum(['AEAD_AES_256_GCM', 'AEAD_AES_128_GCM', 'AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32']),
  keyBase64: z.string().min(16).max(128),
});
export const PipeEnd = z.object({ ip: z.union([z.ipv4(), z.ipv6()]), port: z.number().int().min(1).max(65535), srtpParameters: SrtpParameters });
export type PipeEnd = z.infer<typeof PipeEnd>;

// mediasoup checks RTP parameters in depth itself; here their size is bounded.
const PipeRtpParameters = z.looseObject({
  codecs: z.array(z.looseObject({ mimeType: z.string().max(64), payloadType: z.number().int().min(0).max(127), clockRate: z.number().int().positive() })).min(1).max(16),
  headerExtensions: z.array(z.looseObject({ uri: z.string().max(256), id: z.number().int() })).max(32).optional(),
  encodings: z.array(z.looseObject({})).max(8).optional(),
  rtcp: z.looseObject({}).optional(),
});

const Piped = z.object({
  producerId: id,
  peerId: id,
  kind: MediaKind,
  source: MediaSource,
  rtpParameters: PipeRtpParameters,
  producerPaused: z.boolean(),
});
export type Piped = z.infer<typeof Piped>;

export const cascadeMethods = {
  /** The upper server's end of the link (one per relay): where to send, and the SRTP keys. */
  createPipeTransport: { request: z.object({}).strict(), response: PipeEnd.extend({ id }) },
  /** The relay's own end. Media goes back only to the address the relay signals from. */
  connectPipeTransport: { request: PipeEnd.extend({ transportId: id }), response: z.object({}).strict() },
  /** Streams of the upper briefing brought over the link, every simulcast layer, each once. */
  pipeConsume: {
    request: z.object({ transportId: id, producerIds: z.array(id).min(1).max(PIPE_BATCH_MAX) }),
    response: z.object({ piped: z.array(Piped), refused: z.array(z.object({ producerId: id, message: z.string() })) }),
  },
  /** The stream of a commune behind the relay that the upper chair gave the floor, sent up the
   * link once: the relay holds at most one microphone and one camera of it at a time. */
  pipeProduce: {
    request: z.object({ transportId: id, kind: MediaKind, source: MediaSource, rtpParameters: PipeRtpParameters }),
    response: z.object({ producerId: id }),
  },
  /** The relay's own briefing, rolled up for the upper roll call: its invited points and those
   * present. Sent when it changes. */
  relayReport: {
    request: z.object({ present: z.number().int().min(0).max(10_000), invited: z.number().int().min(0).max(10_000) }),
    response: z.object({}).strict(),
  },
} as const;
