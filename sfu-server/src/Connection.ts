// One WebSocket from a meeting point. Every frame is size-checked, parsed and validated
// against the protocol schema, and checked against the permission table for the connection's
// state, before anything acts on it; a bad frame gets an error reply and touches nothing else.
// Who may take which seat is admission's (access/admission.ts); media and chairing requests
// have their own handler modules.
import { randomUUID } from 'node:crypto';
import type { types } from 'mediasoup';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { messageOf } from '../../lib/errors';
import {
  MAX_MESSAGE_BYTES,
  type ErrorBody,
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
import { admit } from './access/admission';
import type { CredentialAttempts } from './access/CredentialAttempts';
import { SfuError } from './errors';
import { type MediaOptions, type SeatedMedia, mediaHandlers } from './mediaHandlers';
import { Peer } from './Peer';
import { relayHandlers } from './cascade/relayHandlers';

/** Notifications already turned into text, by the data object broadcast. */
const serialized = new WeakMap<object, { notification: string; text: string }>();

type Handlers = { [M in Method]: (data: RequestData<M>) => Promise<ResponseData<M>> };

/** Where a connection stands: outside any briefing (perhaps let in by a chair, so its next join
 * seats it), waiting in a briefing's lobby, or seated in a briefing with its media. */
type State =
  | { kind: 'outside'; admittedTo: string | null; admittedAs?: string }
  | { kind: 'lobby'; briefing: Briefing; lobbyId: string }
  | ({ kind: 'seated' } & SeatedMedia);

export class Connection implements SeatedConnection {
  private state: State = { kind: 'outside', admittedTo: null };
  /** Since when (performance.now()) this connection has been outside any briefing; null inside one. */
  private outsideSince: number | null = performance.now();
  private readonly handlers: Handlers;
  /** This connection's own count of wrong invite codes (besides its address's). */
  private readonly attemptKey = `connection ${randomUUID()}`;
  /** Requests of one connection run in order, as mediasoup-client expects. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: WebSocket,
    private readonly rooms: BriefingDirectory,
    private readonly attempts: CredentialAttempts,
    private readonly options: MediaOptions & { address: string; localAddress: string; mediaAddresses: readonly { ip: string; announcedIp?: string }[] },
  ) {
    this.handlers = {
      getRouterRtpCapabilities: async ({ briefingCode }) => ({
        routerRtpCapabilities: await this.rooms.routerRtpCapabilities(briefingCode),
      }),
      join: async (request) => this.join(request),
      leave: async () => {
        this.depart('left');
        return {};
      },
      ping: async () => ({}),
      ...mediaHandlers(() => this.seated(), this.options),
      ...chairingHandlers(() => this.seated()),
      ...relayHandlers(() => this.seated(), { localAddress: this.options.localAddress, mediaAddresses: this.options.mediaAddresses, address: this.options.address }),
    };
  }

  receive(raw: Buffer, isBinary: boolean): void {
    // The point's liveness check is answered at once: queued behind its slow requests (a join
    // making 400 streams on a busy server), it went unanswered past the point's silence limit and
    // the point took a working link for dead and started again.
    const pingId = pingOf(raw, isBinary);
    if (pingId !== null) return this.send({ id: pingId, ok: true, data: {} });
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
  refuseForRate(perConnection: number, perAddress: number): void {
    this.replyError(null, 'rate_limited', `too many messages: at most ${perConnection} a second on one connection, ${perAddress} from one address`, { reason: 'message_rate', count: perConnection });
  }

  /** Outside any briefing (never joined, or left) for longer than `ms`. */
  outsideLongerThan(ms: number, now = performance.now()): boolean {
    return this.outsideSince !== null && now - this.outsideSince > ms;
  }

  /** Closed for joining nothing in time, with the reason: a connection doing nothing would hold
   * a share of its address's connections for good. */
  closeUnjoined(limitMs: number): void {
    const seconds = Math.round(limitMs / 1000);
    this.replyError(null, 'over_limit', `no briefing joined within ${seconds} s: connect again to join`, { reason: 'join_timeout', count: seconds });
    this.socket.close(4008, 'no briefing joined in time');
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

  private setState(state: State): void {
    this.state = state;
    this.outsideSince = state.kind === 'outside' ? (this.outsideSince ?? performance.now()) : null;
  }

  /** The seated state while its media room is up; `not_joined` otherwise. */
  private seated(): SeatedMedia {
    if (this.state.kind !== 'seated' || this.state.room.isClosed) throw new SfuError('not_joined', 'join a briefing first');
    return this.state;
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
    const seated = this.state.kind === 'seated' && !this.state.room.isClosed ? this.state : null;
    const role = seated?.seat.role ?? null;
    if (!mayCall(method as Method, role)) {
      if (!seated) return this.replyError(id, 'not_joined', 'join a briefing first');
      void seated.briefing.log('request_refused', seated.seat.name, method, `not allowed for the ${role}`);
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
        if (error.code === 'not_found' && seated) void seated.briefing.log('request_refused', seated.seat.name, method, error.message);
        return this.replyError(id, error.code, error.message, error.refusal);
      }
      // mediasoup rejects bad RTP/DTLS parameters with TypeError or its own errors.
      this.replyError(id, 'media_error', messageOf(error));
    }
  }

  private async join({ briefingCode, displayName, rtpCapabilities, credential, resume }: RequestData<'join'>): Promise<ResponseData<'join'>> {
    if (this.state.kind === 'seated') throw new SfuError('already_joined', 'already in a briefing: leave first');
    const briefing = await this.rooms.briefing(briefingCode);
    const admittedByChair = this.state.kind === 'outside' && this.state.admittedTo === briefing.code;
    const admittedAs = admittedByChair && this.state.kind === 'outside' ? this.state.admittedAs : undefined;
    const admission = await admit(briefing, { displayName, credential, resume, address: this.options.address, attemptKey: this.attemptKey, admittedByChair, admittedAs }, this.rooms, this.attempts);
    if (admission.kind === 'lobby') return this.waitInLobby(briefing, displayName);
    const { seat, resuming } = admission;
    const room = await this.rooms.roomFor(briefingCode);
    const peer = new Peer(randomUUID(), seat.id, seat.name, rtpCapabilities as types.RtpCapabilities, this.notify);
    const result = await room.join(peer);
    if (this.state.kind === 'lobby') this.state.briefing.leaveLobby(this.state.lobbyId);
    this.setState({ kind: 'seated', briefing, seat, room, peer });
    this.rooms.seat(peer.id, this);
    const seatSecret = briefing.occupy(seat, peer.id);
    void briefing.log('joined', seat.name, seat.name, resuming ? 'resumed its seat' : `as ${seat.role}`);
    // Where the briefing stands is the Briefing's: it outlived any media room this point saw before.
    const standing = { agenda: briefing.proceedings.position, presenterPage: briefing.presenterPage() };
    return { status: 'joined', peerId: peer.id, seatId: seat.id, seat: seat.name, role: seat.role, seatSecret, ...result, ...standing, control: briefing.snapshot(seat.role) };
  }

  private waitInLobby(briefing: Briefing, displayName: string): ResponseData<'join'> {
    if (this.state.kind === 'lobby') return { status: 'lobby', lobbyId: this.state.lobbyId };
    const lobbyId = briefing.enterLobby(displayName, this.options.address, (admitted, reason, asSeatId) => {
      if (this.state.kind !== 'lobby' || this.state.lobbyId !== lobbyId) return;
      this.setState({ kind: 'outside', admittedTo: admitted ? briefing.code : null, admittedAs: asSeatId });
      if (admitted) this.send({ notification: 'admitted', data: {} });
      else this.send({ notification: 'refused', data: { reason } });
    });
    this.setState({ kind: 'lobby', briefing, lobbyId });
    return { status: 'lobby', lobbyId };
  }

  /** Leaves the briefing: on purpose (`left`, the seat is free), by a lost link (`dropped`, the
   * seat is held for a while), or to the same point's newer link (`taken_over`, the seat stays). */
  private depart(how: 'left' | 'dropped' | 'taken_over'): void {
    const state = this.state;
    this.setState({ kind: 'outside', admittedTo: null });
    if (state.kind === 'lobby') state.briefing.leaveLobby(state.lobbyId);
    if (state.kind !== 'seated') return;
    state.room.leave(state.peer.id);
    if (how !== 'taken_over') {
      state.briefing.vacate(state.peer.id, how);
      this.rooms.unseat(state.peer.id);
    }
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

  private replyError(id: number | null, code: ErrorCode, message: string, refusal?: SfuError['refusal']): void {
    this.send({ id, ok: false, error: { code, message, ...refusal } satisfies ErrorBody });
  }

  private send(message: unknown): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }
}

/** The id of a liveness check (`ping`), or null for any other message. */
function pingOf(raw: Buffer, isBinary: boolean): number | null {
  if (isBinary || raw.length > 64 || !raw.includes('"ping"')) return null;
  try {
    const envelope = RequestEnvelope.safeParse(JSON.parse(raw.toString('utf8')));
    return envelope.success && envelope.data.method === 'ping' ? envelope.data.id : null;
  } catch {
    return null;
  }
}
