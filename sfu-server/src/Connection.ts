// One WebSocket from a meeting point. Every frame is size-checked, parsed and validated
// against the protocol schema before anything acts on it; a bad frame gets an error reply
// and touches nothing else.
import { randomUUID } from 'node:crypto';
import type { types } from 'mediasoup';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import {
  MAX_MESSAGE_BYTES,
  type ErrorCode,
  type Method,
  type NotificationData,
  type NotificationName,
  type RequestData,
  RequestEnvelope,
  type ResponseData,
  methods,
} from '../protocol';
import type { BriefingDirectory, SeatedConnection } from './BriefingDirectory';
import type { Briefing } from './chairing/Briefing';
import { chairingHandlers } from './chairing/chairingHandlers';
import { mayCall } from './chairing/permissions';
import type { Seat } from './chairing/Seats';
import type { CredentialAttempts } from './access/CredentialAttempts';
import { turnCredentials } from './access/turn';
import { SfuError } from './errors';
import { Peer } from './Peer';
import type { Room } from './Room';

/** Notifications already turned into text, by the data object broadcast. */
const serialized = new WeakMap<object, { notification: string; text: string }>();

type Handlers = { [M in Method]: (data: RequestData<M>) => Promise<ResponseData<M>> };

const CREDENTIAL_PROBLEMS = {
  unknown: 'this invite code is not valid',
  revoked: 'this invite code was withdrawn',
  other_briefing: 'this invite code is for another briefing',
} as const;

export class Connection implements SeatedConnection {
  private peer: Peer | undefined;
  private room: Room | undefined;
  private briefing: Briefing | undefined;
  private seat: Seat | undefined;
  /** Waiting in a briefing's lobby for the chair. */
  private waiting: { briefing: Briefing; lobbyId: string } | undefined;
  /** The chair admitted this connection from the lobby of this briefing: its next join seats it. */
  private admittedTo: string | undefined;
  /** This connection's own count of wrong invite codes (besides its address's). */
  private readonly attemptKey = `connection ${randomUUID()}`;
  /** Requests of one connection run in order, as mediasoup-client expects. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: WebSocket,
    private readonly rooms: BriefingDirectory,
    private readonly attempts: CredentialAttempts,
    private readonly options: { address: string; allowPlainRtp: boolean; plainRtpAddress: { ip: string; announcedIp?: string }; turnUrls: string[]; turnSecret?: string },
  ) {}

  receive(raw: Buffer, isBinary: boolean): void {
    // The error boundary of one connection: whatever goes wrong with one message is logged and
    // answered, and neither the connection's later messages nor the server are affected.
    this.queue = this.queue
      .then(() => this.handle(raw, isBinary))
      .catch((error: unknown) => {
        console.error('[sfu] a message could not be handled:', error);
        this.replyError(null, 'internal', 'the server could not handle this message');
      });
  }

  /** Over the message rate: answered with the reason, not acted on. */
  refuseForRate(perSecond: number): void {
    this.replyError(null, 'rate_limited', `too many messages: at most ${perSecond} a second`);
  }

  /** The socket is gone without a goodbye: the seat is held for the point to come back. */
  closed(): void {
    this.depart('dropped');
  }

  /** The same point took its seat back over a new link: this older connection gives it up. */
  takenOver(): void {
    this.depart('taken_over');
    this.send({ notification: 'seatTakenOver', data: {} });
    this.socket.close(4001, 'seat taken over');
  }

  private async handle(raw: Buffer, isBinary: boolean): Promise<void> {
    if (raw.length > MAX_MESSAGE_BYTES) {
      return this.replyError(null, 'too_large', `message of ${raw.length} bytes; the limit is ${MAX_MESSAGE_BYTES}`);
    }
    if (isBinary) return this.replyError(null, 'bad_request', 'binary frames are not part of the protocol');
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return this.replyError(null, 'bad_json', 'message is not valid JSON');
    }
    const envelope = RequestEnvelope.safeParse(json);
    if (!envelope.success) {
      const maybeId = (json as { id?: unknown } | null)?.id;
      return this.replyError(
        typeof maybeId === 'number' && Number.isInteger(maybeId) ? maybeId : null,
        'bad_request',
        `not a request: ${z.prettifyError(envelope.error)}`,
      );
    }
    const { id, method, data } = envelope.data;
    if (!Object.hasOwn(methods, method)) {
      return this.replyError(id, 'unknown_method', `unknown method "${method}"`);
    }
    const schema = methods[method as Method].request;
    const parsed = schema.safeParse(data ?? {});
    if (!parsed.success) {
      return this.replyError(id, 'bad_request', `${method}: ${z.prettifyError(parsed.error)}`);
    }
    const role = this.seat && this.room && !this.room.isClosed ? this.seat.role : null;
    if (!mayCall(method as Method, role)) {
      if (role === null) return this.replyError(id, 'not_joined', 'join a briefing first');
      void this.briefing?.log('request_refused', this.seat!.name, method, `not allowed for the ${role}`);
      return this.replyError(id, 'forbidden', `${method} is not allowed for the ${role}`);
    }
    try {
      const handler = this.handlers[method as Method] as (d: unknown) => Promise<unknown>;
      const result = await handler(parsed.data);
      this.send({ id, ok: true, data: result });
    } catch (error) {
      if (error instanceof SfuError) {
        // Naming another point's transport, producer or consumer is logged: it is either a bug or
        // an attempt, and the chair's technician wants to see both.
        if (error.code === 'not_found' && this.seat) void this.briefing?.log('request_refused', this.seat.name, method, error.message);
        return this.replyError(id, error.code, error.message);
      }
      // mediasoup rejects bad RTP/DTLS parameters with TypeError or its own errors.
      this.replyError(id, 'media_error', (error as Error).message ?? String(error));
    }
  }

  private readonly handlers: Handlers = {
    getRouterRtpCapabilities: async ({ briefingCode }) => ({
      routerRtpCapabilities: await this.rooms.routerRtpCapabilities(briefingCode),
    }),
    join: async (request) => this.join(request),
    createTransport: async ({ direction }) => {
      const { room, peer } = this.joined();
      return { ...(await room.createTransport(peer, direction)), iceServers: turnCredentials(this.options, this.seat!.name) };
    },
    connectTransport: async ({ transportId, dtlsParameters }) => {
      const transport = this.joined().peer.transport(transportId);
      if (transport.appData.plain) throw new SfuError('bad_request', 'use connectPlainTransport for a plain transport');
      await (transport as types.WebRtcTransport).connect({ dtlsParameters: dtlsParameters as types.DtlsParameters });
      return {};
    },
    createPlainTransport: async ({ direction }) => {
      if (!this.options.allowPlainRtp) throw new SfuError('forbidden', 'this server does not accept plain RTP peers');
      const { room, peer } = this.joined();
      return room.createPlainTransport(peer, direction, this.options.plainRtpAddress);
    },
    connectPlainTransport: async ({ transportId, ip, port }) => {
      if (!this.options.allowPlainRtp) throw new SfuError('forbidden', 'this server does not accept plain RTP peers');
      const transport = this.joined().peer.transport(transportId);
      if (!transport.appData.plain) throw new SfuError('bad_request', 'not a plain transport');
      await (transport as types.PlainTransport).connect({ ip, port });
      return {};
    },
    restartIce: async ({ transportId }) => {
      const transport = this.joined().peer.transport(transportId);
      if (transport.appData.plain) throw new SfuError('bad_request', 'a plain transport has no ICE');
      return { iceParameters: await (transport as types.WebRtcTransport).restartIce() };
    },
    produce: async ({ transportId, kind, source, rtpParameters }) => {
      const { room, peer } = this.joined();
      const producerId = await room.produce(peer, transportId, kind, source, rtpParameters as types.RtpParameters);
      // In briefing mode a microphone opened without the floor starts paused: nobody hears it.
      if (source === 'mic' && !this.briefing!.micAllowed(this.seat!)) await room.setMicPaused(peer.id, true);
      return { producerId };
    },
    pauseProducer: async ({ producerId }) => {
      const { room, peer } = this.joined();
      await room.setProducerPaused(peer, producerId, true);
      return {};
    },
    resumeProducer: async ({ producerId }) => {
      const { room, peer } = this.joined();
      if (peer.producer(producerId).appData.source === 'mic' && !this.briefing!.micAllowed(this.seat!)) {
        throw new SfuError('forbidden', 'the chair has not given this meeting point the floor');
      }
      await room.setProducerPaused(peer, producerId, false);
      return {};
    },
    closeProducer: async ({ producerId }) => {
      this.joined().peer.producer(producerId).close();
      return {};
    },
    consume: async ({ transportId, producerId }) => {
      const { room, peer } = this.joined();
      const consumed = await room.consume(peer, transportId, producerId);
      return { ...consumed, rtpParameters: consumed.rtpParameters as ResponseData<'consume'>['rtpParameters'] };
    },
    resumeConsumer: async ({ consumerId }) => {
      await this.joined().peer.consumer(consumerId).resume();
      return {};
    },
    pauseConsumer: async ({ consumerId }) => {
      await this.joined().peer.consumer(consumerId).pause();
      return {};
    },
    setConsumerLayer: async ({ consumerId, spatialLayer }) => {
      const consumer = this.joined().peer.consumer(consumerId);
      if (consumer.type === 'simulcast') await consumer.setPreferredLayers({ spatialLayer });
      return {};
    },
    setAgendaItem: async ({ index }) => this.joined().room.setAgendaItem(index),
    setPresenterPage: async (page) => {
      const { room, peer } = this.joined();
      room.setPresenterPage(peer, page);
      return {};
    },
    leave: async () => {
      this.depart('left');
      return {};
    },
    ping: async () => ({}),
    ...chairingHandlers(() => {
      this.joined();
      return { briefing: this.briefing!, seat: this.seat! };
    }),
  };

  private async join({ briefingCode, displayName, rtpCapabilities, credential, resume }: RequestData<'join'>): Promise<ResponseData<'join'>> {
    if (this.peer) throw new SfuError('already_joined', 'already in a briefing: leave first');
    const briefing = await this.rooms.briefing(briefingCode);
    const seat = await this.findSeat(briefing, displayName, credential, resume);
    if (!seat) return this.waitInLobby(briefing, displayName);
    const resuming = resume !== undefined && seat.secret === resume;
    if (seat.peerId) {
      // A live seat is taken back only with its secret: a copied invite code cannot push out the
      // meeting point that is using it.
      if (!resuming) {
        void briefing.log('join_refused', displayName, seat.name, 'seat in use');
        throw new SfuError('seat_taken', `"${seat.name}" is already connected`);
      }
      this.rooms.evict(seat.peerId);
    }
    if (seat.state !== 'reconnecting' && !resuming) this.rooms.checkPointCap();
    const room = await this.rooms.roomFor(briefingCode);
    const peer = new Peer(randomUUID(), seat.name, rtpCapabilities as types.RtpCapabilities, this.notify);
    const result = await room.join(peer);
    this.peer = peer;
    this.room = room;
    this.briefing = briefing;
    this.seat = seat;
    this.rooms.seat(peer.id, this);
    const seatSecret = briefing.occupy(seat, peer.id);
    void briefing.log('joined', seat.name, seat.name, resuming ? 'resumed its seat' : `as ${seat.role}`);
    return { status: 'joined', peerId: peer.id, seat: seat.name, role: seat.role, seatSecret, ...result, control: briefing.snapshot(seat.role) };
  }

  /** The seat this join may take: by secret, by invite code, or as the guest the chair admitted;
   * none means the lobby. A bad invite code is refused outright and logged. */
  private async findSeat(briefing: Briefing, displayName: string, credential?: string, resume?: string): Promise<Seat | undefined> {
    const held = resume ? briefing.seats.bySecret(resume) : undefined;
    if (held) return held;
    if (credential) {
      // Guessing codes gets slower with every wrong one, from this address and on this connection.
      const wait = Math.max(this.attempts.waitFor(this.options.address), this.attempts.waitFor(this.attemptKey));
      if (wait > 0) throw new SfuError('rate_limited', `too many wrong invite codes: try again in ${Math.ceil(wait / 1000)} s`);
      const found = await this.rooms.invitations.verify(briefing.code, credential);
      if ('problem' in found) {
        const detail = `"${displayName}": credential ${found.problem}`;
        this.attempts.failed(this.options.address, briefing.code, detail);
        this.attempts.failed(this.attemptKey, briefing.code, detail, false);
        throw new SfuError('bad_credential', CREDENTIAL_PROBLEMS[found.problem]);
      }
      const seat = briefing.seats.get(found.seat);
      if (!seat) throw new SfuError('bad_credential', CREDENTIAL_PROBLEMS.revoked);
      return seat;
    }
    if (this.admittedTo === briefing.code) {
      this.admittedTo = undefined;
      return briefing.seats.addGuest(displayName);
    }
    return undefined;
  }

  private waitInLobby(briefing: Briefing, displayName: string): ResponseData<'join'> {
    if (this.waiting) return { status: 'lobby', lobbyId: this.waiting.lobbyId };
    const lobbyId = briefing.enterLobby(displayName, this.options.address, (admitted, reason) => {
      this.waiting = undefined;
      if (admitted) {
        this.admittedTo = briefing.code;
        this.send({ notification: 'admitted', data: {} });
      } else this.send({ notification: 'refused', data: { reason } });
    });
    this.waiting = { briefing, lobbyId };
    return { status: 'lobby', lobbyId };
  }

  private joined(): { room: Room; peer: Peer } {
    if (!this.room || !this.peer || this.room.isClosed) {
      throw new SfuError('not_joined', 'join a briefing first');
    }
    return { room: this.room, peer: this.peer };
  }

  /** Leaves the briefing: on purpose (`left`, the seat is free), by a lost link (`dropped`, the
   * seat is held for a while), or to the same point's newer link (`taken_over`, the seat stays). */
  private depart(how: 'left' | 'dropped' | 'taken_over'): void {
    if (this.waiting) this.waiting.briefing.leaveLobby(this.waiting.lobbyId);
    this.waiting = undefined;
    if (this.room && this.peer) this.room.leave(this.peer.id);
    if (this.peer && how !== 'taken_over') {
      this.briefing?.vacate(this.peer.id, how);
      this.rooms.unseat(this.peer.id);
    }
    this.room = undefined;
    this.peer = undefined;
    this.seat = undefined;
    this.briefing = undefined;
  }

  private readonly notify = <N extends NotificationName>(notification: N, data: NotificationData<N>): void => {
    // The media room is gone (worker restart): the seat is held and this connection may join again.
    if (notification === 'briefingRestarted') this.depart('dropped');
    // A broadcast hands every connection the same object: it is turned into text once.
    let cached = serialized.get(data);
    if (cached?.notification !== notification) {
      cached = { notification, text: JSON.stringify({ notification, data }) };
      serialized.set(data, cached);
    }
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(cached.text);
  };

  private replyError(id: number | null, code: ErrorCode, message: string): void {
    this.send({ id, ok: false, error: { code, message } });
  }

  private send(message: unknown): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }
}
