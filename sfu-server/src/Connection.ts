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
import { SfuError } from './errors';
import { Peer } from './Peer';
import type { Room } from './Room';

export interface RoomDirectory {
  routerRtpCapabilities(code: string): Promise<types.RtpCapabilities>;
  roomFor(code: string): Promise<Room>;
}

type Handlers = { [M in Method]: (data: RequestData<M>) => Promise<ResponseData<M>> };

export class Connection {
  private peer: Peer | undefined;
  private room: Room | undefined;
  /** Requests of one connection run in order, as mediasoup-client expects. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: WebSocket,
    private readonly rooms: RoomDirectory,
    private readonly options: { allowPlainRtp: boolean; plainRtpAddress: { ip: string; announcedIp?: string } },
  ) {}

  receive(raw: Buffer, isBinary: boolean): void {
    this.queue = this.queue.then(() => this.handle(raw, isBinary));
  }

  /** The socket is gone: the meeting point leaves its briefing. */
  closed(): void {
    this.leave();
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
    try {
      const handler = this.handlers[method as Method] as (d: unknown) => Promise<unknown>;
      const result = await handler(parsed.data);
      this.send({ id, ok: true, data: result });
    } catch (error) {
      if (error instanceof SfuError) return this.replyError(id, error.code, error.message);
      // mediasoup rejects bad RTP/DTLS parameters with TypeError or its own errors.
      this.replyError(id, 'media_error', (error as Error).message ?? String(error));
    }
  }

  private readonly handlers: Handlers = {
    getRouterRtpCapabilities: async ({ briefingCode }) => ({
      routerRtpCapabilities: await this.rooms.routerRtpCapabilities(briefingCode),
    }),
    join: async ({ briefingCode, displayName, rtpCapabilities }) => {
      if (this.peer) throw new SfuError('already_joined', 'already in a briefing: leave first');
      const room = await this.rooms.roomFor(briefingCode);
      const peer = new Peer(randomUUID(), displayName, rtpCapabilities as types.RtpCapabilities, this.notify);
      const result = await room.join(peer);
      this.peer = peer;
      this.room = room;
      return { peerId: peer.id, ...result };
    },
    createTransport: async ({ direction }) => {
      const { room, peer } = this.joined();
      return room.createTransport(peer, direction);
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
      return { producerId };
    },
    pauseProducer: async ({ producerId }) => {
      const { room, peer } = this.joined();
      await room.setProducerPaused(peer, producerId, true);
      return {};
    },
    resumeProducer: async ({ producerId }) => {
      const { room, peer } = this.joined();
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
      this.leave();
      return {};
    },
  };

  private joined(): { room: Room; peer: Peer } {
    if (!this.room || !this.peer || this.room.isClosed) {
      throw new SfuError('not_joined', 'join a briefing first');
    }
    return { room: this.room, peer: this.peer };
  }

  private leave(): void {
    if (this.room && this.peer) this.room.leave(this.peer.id);
    this.room = undefined;
    this.peer = undefined;
  }

  private readonly notify = <N extends NotificationName>(notification: N, data: NotificationData<N>): void => {
    if (notification === 'briefingRestarted') {
      // The room is gone; this connection may join again.
      this.room = undefined;
      this.peer = undefined;
    }
    this.send({ notification, data });
  };

  private replyError(id: number | null, code: ErrorCode, message: string): void {
    this.send({ id, ok: false, error: { code, message } });
  }

  private send(message: unknown): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }
}
