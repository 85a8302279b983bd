// The signaling protocol between a meeting point and the SFU server.
// Both sides import this module: the server validates every request against it before
// handling it, the client validates every response and notification it receives.
import { z } from 'zod';
import { cascadeMethods } from './cascade';
import { Attendee, ControlState, FloorMode, LinkHealth, LinkReport, Role, SeatId, SeatName, VoteOptions } from './chairing';

export * from './cascade';
export * from './chairing';
export * from './rules';

export const PROTOCOL_VERSION = 1;
/** Largest text frame the server reads; larger frames get a `too_large` error. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

// --- building blocks -------------------------------------------------------------------------

const id = z.string().min(1).max(128);
export const BriefingCode = z
  .string()
  .trim()
  .min(3)
  .max(40)
  .regex(/^[A-Za-z0-9_-]+$/, 'briefing code: letters, digits, - and _ only');
export const DisplayName = z.string().trim().min(1).max(80);
export const MediaKind = z.enum(['audio', 'video']);
export const MediaSource = z.enum(['mic', 'camera']);
export const Direction = z.enum(['send', 'recv']);

// mediasoup checks these structures in depth itself; here we make sure their shape is sane
// and their size bounded, so nothing odd reaches the worker.
const codecCapability = z.looseObject({
  kind: MediaKind.optional(),
  mimeType: z.string().max(64),
  clockRate: z.number().int().positive(),
  channels: z.number().int().positive().optional(),
  payloadType: z.number().int().min(0).max(127).optional(),
  preferredPayloadType: z.number().int().min(0).max(127).optional(),
});
export const RtpCapabilities = z.looseObject({
  codecs: z.array(codecCapability).max(64).optional(),
  headerExtensions: z.array(z.looseObject({ uri: z.string().max(256) })).max(64).optional(),
});
export const RtpParameters = z.looseObject({
  mid: z.string().max(32).optional(),
  codecs: z.array(codecCapability).min(1).max(16),
  headerExtensions: z.array(z.looseObject({ uri: z.string().max(256), id: z.number().int() })).max(32).optional(),
  encodings: z.array(z.looseObject({})).max(8).optional(),
  rtcp: z.looseObject({}).optional(),
});
export const DtlsParameters = z.looseObject({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z.array(z.object({ algorithm: z.string().max(16), value: z.string().max(256) })).min(1).max(8),
});
const IceParameters = z.looseObject({ usernameFragment: z.string(), password: z.string(), iceLite: z.boolean().optional() });
const IceCandidate = z.looseObject({
  foundation: z.string(),
  priority: z.number(),
  ip: z.string().optional(),
  address: z.string().optional(),
  protocol: z.enum(['udp', 'tcp']),
  port: z.number(),
  type: z.string(),
  tcpType: z.string().optional(),
});

export const BriefingChange = z.object({
  field: z.string().max(40),
  before: z.string().optional(),
  after: z.string().optional(),
});
export type BriefingChange = z.infer<typeof BriefingChange>;

/** The agenda item the chair has moved to, and when. */
export const AgendaPosition = z.object({ index: z.number().int().min(0).max(49), startedAt: z.iso.datetime() });
/** The page of a document the presenter shows; every meeting point may follow it. */
export const PresenterPage = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  page: z.number().int().min(1).max(100_000),
  zoom: z.number().min(0.25).max(5),
});
export type AgendaPosition = z.infer<typeof AgendaPosition>;
export type PresenterPage = z.infer<typeof PresenterPage>;

export const ProducerInfo = z.object({ id, kind: MediaKind, source: MediaSource, paused: z.boolean() });
/** A point in the media room: its connection (`id`), its seat, and its label. */
export const PeerInfo = z.object({ id, seatId: SeatId, displayName: DisplayName, producers: z.array(ProducerInfo) });

/** An invite code the server issued for one seat of one briefing (see Invitations). */
export const Credential = z.string().trim().min(8).max(100);

// --- requests: method name -> { request data, response data } ----------------------------------

export const ErrorCode = z.enum([
  'bad_json',
  'bad_request',
  'unknown_method',
  'too_large',
  'not_joined',
  'already_joined',
  'not_found',
  'media_error',
  'forbidden',
  /** The server is at its configured cap of briefings or meeting points. */
  'capacity',
  /** The credential is unknown, revoked, or for another briefing. */
  'bad_credential',
  /** The seat is in use by another connection (a replayed credential). */
  'seat_taken',
  /** More messages than the server takes from one connection a second. */
  'rate_limited',
  /** More of something (transports, producers, consumers, lobby places, code attempts) than one
   * connection, seat or address may hold; the message names the limit. */
  'over_limit',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

const empty = z.object({}).strict();
/** 0 = lowest simulcast layer (thumbnails), 2 = highest (main stage). */
const SpatialLayer = z.number().int().min(0).max(2);
/** How a point wants a video it receives: its simulcast layer (spatial; temporal 0 = a quarter
 * of the frame rate, for thumbnails) and its share of a narrow downlink (a higher priority gets
 * its layers first: the stage before thumbnails). */
export const ConsumerWish = z.object({
  spatialLayer: SpatialLayer,
  temporalLayer: z.number().int().min(0).max(2).optional(),
  priority: z.number().int().min(1).max(255).optional(),
});
export type ConsumerWish = z.infer<typeof ConsumerWish>;
/** Streams asked for in one `consumeMany`: 200 points' microphones and cameras, and a request
 * well inside MAX_MESSAGE_BYTES (the app sends more in several). */
export const CONSUME_BATCH_MAX = 400;
const Consumed = z.object({
  consumerId: id,
  producerId: id,
  peerId: id,
  kind: MediaKind,
  source: MediaSource,
  rtpParameters: RtpParameters,
  producerPaused: z.boolean(),
});
export const methods = {
  getRouterRtpCapabilities: {
    request: z.object({ briefingCode: BriefingCode }),
    response: z.object({ routerRtpCapabilities: RtpCapabilities }),
  },
  /** With the seat's invite code, or (`resume`) the secret of a seat held since a dropped link.
   * Without either, the point waits in the lobby until the chair admits it (then joins again). */
  join: {
    request: z.object({
      briefingCode: BriefingCode,
      displayName: DisplayName,
      rtpCapabilities: RtpCapabilities,
      credential: Credential.optional(),
      resume: z.string().min(8).max(100).optional(),
    }),
    response: z.discriminatedUnion('status', [
      z.object({
        status: z.literal('joined'),
        peerId: id,
        seatId: SeatId,
        seat: SeatName,
        role: Role,
        /** Presented as `resume` after a dropped link to get the same seat back. */
        seatSecret: z.string(),
        peers: z.array(PeerInfo),
        activeSpeakerPeerId: id.nullable(),
        agenda: AgendaPosition.nullable(),
        presenterPage: PresenterPage.extend({ presenterPeerId: id }).nullable(),
        control: ControlState,
      }),
      z.object({ status: z.literal('lobby'), lobbyId: id }),
    ]),
  },
  createTransport: {
    request: z.object({ direction: Direction }),
    response: z.object({
      id,
      iceParameters: IceParameters,
      iceCandidates: z.array(IceCandidate),
      dtlsParameters: DtlsParameters,
      /** The district's TURN servers, with credentials valid for a few hours. */
      iceServers: z.array(z.object({ urls: z.array(z.string()), username: z.string(), credential: z.string() })),
    }),
  },
  /** Plain RTP (no ICE, no DTLS): only on a server started with --allow-plain-rtp, for load
   * generators and lightweight test peers. */
  createPlainTransport: {
    request: z.object({ direction: Direction }),
    response: z.object({ id, ip: z.string(), port: z.number().int() }),
  },
  connectPlainTransport: {
    request: z.object({ transportId: id, ip: z.union([z.ipv4(), z.ipv6()]), port: z.number().int().min(1).max(65535) }),
    response: empty,
  },
  connectTransport: {
    request: z.object({ transportId: id, dtlsParameters: DtlsParameters }),
    response: empty,
  },
  restartIce: {
    request: z.object({ transportId: id }),
    response: z.object({ iceParameters: IceParameters }),
  },
  produce: {
    request: z.object({ transportId: id, kind: MediaKind, source: MediaSource, rtpParameters: RtpParameters }),
    response: z.object({ producerId: id }),
  },
  pauseProducer: { request: z.object({ producerId: id }), response: empty },
  resumeProducer: { request: z.object({ producerId: id }), response: empty },
  closeProducer: { request: z.object({ producerId: id }), response: empty },
  consume: {
    request: z.object({ transportId: id, producerId: id }),
    response: Consumed,
  },
  /** Every stream a joining point receives, in one request: made paused, each at the layer its
   * place wants, so the point wires the tracks up and resumes them all with one more. The
   * streams that cannot be received (gone meanwhile, over the limit) are named with the reason. */
  consumeMany: {
    request: z.object({
      transportId: id,
      producers: z.array(z.object({ producerId: id, wish: ConsumerWish.optional() })).min(1).max(CONSUME_BATCH_MAX),
    }),
    response: z.object({
      consumers: z.array(Consumed),
      refused: z.array(z.object({ producerId: id, code: ErrorCode, message: z.string() })),
    }),
  },
  resumeConsumer: { request: z.object({ consumerId: id }), response: empty },
  /** Resumes this point's consumers named; those already closed (their stream ended meanwhile)
   * are named back as `gone`. */
  resumeConsumers: { request: z.object({ consumerIds: z.array(id).min(1).max(CONSUME_BATCH_MAX) }), response: z.object({ gone: z.array(id) }) },
  pauseConsumer: { request: z.object({ consumerId: id }), response: empty },
  /** 0 = lowest simulcast layer (thumbnails), 2 = highest (main stage). */
  setConsumerLayer: {
    request: ConsumerWish.extend({ consumerId: id }),
    response: empty,
  },
  /** The chair moves the briefing to an agenda item; everyone follows. */
  setAgendaItem: { request: z.object({ index: z.number().int().min(0).max(49) }), response: AgendaPosition },
  /** The presenter turns a page or zooms; only this small event crosses the network. */
  setPresenterPage: { request: PresenterPage, response: empty },
  leave: { request: empty, response: empty },
  /** The app's own liveness check: a browser cannot see the server's WebSocket pings, and a cut
   * link is otherwise noticed only minutes later. */
  ping: { request: empty, response: empty },
  /** The point's own link figures, every few seconds, for the chair's board: at most one a second. */
  reportLink: { request: LinkReport, response: empty },

  // --- chairing (who may call what: sfu-server/src/chairing/permissions.ts) ---
  /** Lets a waiting connection in: as a guest, or into an invited seat not in use (`asSeatId`),
   * so a commune that lost its code takes its own seat instead of a duplicate. */
  admit: { request: z.object({ lobbyId: id, asSeatId: SeatId.optional() }), response: empty },
  refuse: { request: z.object({ lobbyId: id }), response: empty },
  setLocked: { request: z.object({ locked: z.boolean() }), response: empty },
  setRole: { request: z.object({ seatId: SeatId, role: z.enum(['presenter', 'point']) }), response: empty },
  /** `onBehalfOf`: a relay's only, the commune behind it that asks (protocol/cascade.ts). */
  requestFloor: { request: z.object({ onBehalfOf: SeatName.optional() }).strict(), response: empty },
  cancelFloorRequest: { request: empty, response: empty },
  grantFloor: { request: z.object({ seatId: SeatId }), response: empty },
  revokeFloor: { request: empty, response: empty },
  muteSeat: { request: z.object({ seatId: SeatId }), response: empty },
  muteAll: { request: empty, response: empty },
  setFloorMode: { request: z.object({ mode: FloorMode }), response: empty },
  startRollCall: { request: empty, response: empty },
  endRollCall: { request: empty, response: empty },
  answerRollCall: { request: empty, response: empty },
  markAbsent: { request: z.object({ seatId: SeatId, reason: z.string().trim().min(1).max(200) }), response: empty },
  setAttendees: { request: z.object({ attendees: z.array(Attendee).max(50) }), response: empty },
  setAudioOnly: { request: z.object({ audioOnly: z.boolean() }), response: empty },
  openVote: {
    request: z.object({ question: z.string().trim().min(1).max(300), options: VoteOptions }),
    response: z.object({ voteId: id }),
  },
  castVote: { request: z.object({ voteId: id, option: z.number().int().min(0).max(5) }), response: empty },
  closeVote: { request: z.object({ voteId: id }), response: empty },
  /** The chair ends the briefing for everyone: the end time is kept, no one joins after. */
  endBriefing: { request: empty, response: empty },
  ...cascadeMethods,
} as const;

export type Method = keyof typeof methods;
export const METHOD_NAMES = Object.keys(methods) as Method[];
export type RequestData<M extends Method> = z.infer<(typeof methods)[M]['request']>;
export type ResponseData<M extends Method> = z.infer<(typeof methods)[M]['response']>;

export const RequestEnvelope = z.object({
  id: z.number().int().nonnegative(),
  method: z.string().max(64),
  data: z.unknown().optional(),
});

// --- responses ---------------------------------------------------------------------------------


/** Why a request was refused, where a meeting point's operator must be told more than the code:
 * one enum the clients word in their own language (the message is English, for logs). */
export const RefusalReason = z.enum([
  'invite_unknown',
  'invite_withdrawn',
  'invite_other_briefing',
  /** Too many wrong codes from this address or connection: `count` is the seconds to wait. */
  'invite_backoff',
  'seat_in_use',
  'briefing_locked',
  'briefing_not_published',
  'no_floor',
  /** Caps, each with its number in `count`. */
  'max_points',
  'max_briefings',
  'lobby_full',
  'lobby_per_address',
  'media_limit',
  'message_rate',
  /** The media process behind the briefing is being replaced: join again in a moment. */
  'restarting',
  /** The chair ended the briefing. */
  'briefing_ended',
  /** The invited seat the chair chose is taken, or is not a meeting point's. */
  'seat_not_free',
  /** A connection that joined no briefing within `count` seconds is closed. */
  'join_timeout',
]);
export type RefusalReason = z.infer<typeof RefusalReason>;

export const ErrorBody = z.object({
  code: ErrorCode,
  message: z.string(),
  reason: RefusalReason.optional(),
  /** The number the reason is about (a limit, or seconds to wait). */
  count: z.number().int().nonnegative().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const ResponseEnvelope = z.union([
  z.object({ id: z.number().int(), ok: z.literal(true), data: z.unknown() }),
  z.object({
    id: z.number().int().nullable(),
    ok: z.literal(false),
    error: ErrorBody,
  }),
]);
export type ResponseEnvelope = z.infer<typeof ResponseEnvelope>;

// --- notifications: server -> meeting point -----------------------------------------------------

export const notifications = {
  peerJoined: z.object({ peer: PeerInfo }),
  peerLeft: z.object({ peerId: id }),
  producerAdded: z.object({ peerId: id, producer: ProducerInfo }),
  producerClosed: z.object({ peerId: id, producerId: id }),
  producerPaused: z.object({ peerId: id, producerId: id, paused: z.boolean() }),
  consumerClosed: z.object({ consumerId: id }),
  /** The highest layer of this camera anyone receives now: encode no more than that. */
  producerLayers: z.object({ producerId: id, spatialLayer: z.number().int().min(0).max(2) }),
  activeSpeaker: z.object({ peerId: id.nullable() }),
  agendaItemChanged: AgendaPosition,
  presenterPageChanged: PresenterPage.extend({ presenterPeerId: id }),
  /** A new version of the briefing was published; the app syncs it and shows what changed. */
  briefingUpdated: z.object({ code: z.string(), version: z.number().int().positive(), changes: z.array(BriefingChange) }),
  /** The media process behind the briefing was replaced: rejoin to get media back. */
  briefingRestarted: z.object({ reason: z.string() }),
  /** Signed minutes or a conclusions notice were issued: the meeting points sync them. */
  recordPublished: z.object({ briefingCode: z.string(), kind: z.enum(['minutes', 'conclusions']) }),
  /** Roles, seats, lobby, floor, roll call and votes changed. */
  controlChanged: ControlState,
  /** Every seat's link as the server measures it, every few seconds. */
  /** By seat id. */
  linkHealth: z.object({ links: z.record(SeatId, LinkHealth) }),
  /** The chair let this waiting connection in: join again. */
  admitted: z.object({}),
  /** The chair refused this waiting connection, or the briefing was locked. */
  refused: z.object({ reason: z.string() }),
  /** Another connection took this seat over with its secret (the same PC after a dropped link). */
  seatTakenOver: z.object({}),
} as const;
export type NotificationName = keyof typeof notifications;
export type NotificationData<N extends NotificationName> = z.infer<(typeof notifications)[N]>;

export const NotificationEnvelope = z.object({
  notification: z.enum(Object.keys(notifications) as [NotificationName, ...NotificationName[]]),
  data: z.unknown(),
});

export type ProducerInfo = z.infer<typeof ProducerInfo>;
export type PeerInfo = z.infer<typeof PeerInfo>;
export type MediaKind = z.infer<typeof MediaKind>;
export type MediaSource = z.infer<typeof MediaSource>;
