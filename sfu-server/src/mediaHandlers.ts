// The media requests of a seated meeting point: transports, what it sends, what it receives.
// Each acts only on the point's own objects (Peer looks them up), and a microphone opens only
// as the briefing's floor rule allows.
import type { types } from 'mediasoup';
import type { RequestData, ResponseData } from '../protocol';
import type { Briefing } from './chairing/Briefing';
import type { Seat } from './chairing/Seats';
import { turnCredentials } from './access/turn';
import { SfuError } from './errors';
import type { Peer } from './Peer';
import type { Room } from './Room';

export type MediaMethod =
  | 'createTransport'
  | 'connectTransport'
  | 'createPlainTransport'
  | 'connectPlainTransport'
  | 'restartIce'
  | 'produce'
  | 'pauseProducer'
  | 'resumeProducer'
  | 'closeProducer'
  | 'consume'
  | 'consumeMany'
  | 'resumeConsumer'
  | 'resumeConsumers'
  | 'pauseConsumer'
  | 'setConsumerLayer'
  | 'reportLink'
  | 'setAgendaItem'
  | 'setPresenterPage';

export interface SeatedMedia {
  briefing: Briefing;
  seat: Seat;
  room: Room;
  peer: Peer;
}

export interface MediaOptions {
  allowPlainRtp: boolean;
  plainRtpAddress: { ip: string; announcedIp?: string };
  turnUrls: string[];
  turnSecret?: string;
}

type Handlers = { [M in MediaMethod]: (data: RequestData<M>) => Promise<ResponseData<M>> };

export function mediaHandlers(seated: () => SeatedMedia, options: MediaOptions): Handlers {
  const plainAllowed = () => {
    if (!options.allowPlainRtp) throw new SfuError('forbidden', 'this server does not accept plain RTP peers');
  };
  return {
    createTransport: async ({ direction }) => {
      const { room, peer, seat } = seated();
      return { ...(await room.createTransport(peer, direction)), iceServers: turnCredentials(options, seat.name) };
    },
    connectTransport: async ({ transportId, dtlsParameters }) => {
      const transport = seated().peer.transport(transportId);
      if (transport.appData.plain) throw new SfuError('bad_request', 'use connectPlainTransport for a plain transport');
      await (transport as types.WebRtcTransport).connect({ dtlsParameters: dtlsParameters });
      return {};
    },
    createPlainTransport: async ({ direction }) => {
      plainAllowed();
      const { room, peer } = seated();
      return room.createPlainTransport(peer, direction, options.plainRtpAddress);
    },
    connectPlainTransport: async ({ transportId, ip, port }) => {
      plainAllowed();
      const transport = seated().peer.transport(transportId);
      if (!transport.appData.plain) throw new SfuError('bad_request', 'not a plain transport');
      await (transport as types.PlainTransport).connect({ ip, port });
      return {};
    },
    restartIce: async ({ transportId }) => {
      const transport = seated().peer.transport(transportId);
      if (transport.appData.plain) throw new SfuError('bad_request', 'a plain transport has no ICE');
      return { iceParameters: await (transport as types.WebRtcTransport).restartIce() };
    },
    produce: async ({ transportId, kind, source, rtpParameters }) => {
      const { room, peer, briefing, seat } = seated();
      const producerId = await room.produce(peer, transportId, kind, source, rtpParameters as types.RtpParameters);
      // In briefing mode a microphone opened without the floor starts paused: nobody hears it.
      if (source === 'mic' && !briefing.micAllowed(seat)) await room.setMicPaused(peer.id, true);
      return { producerId };
    },
    pauseProducer: async ({ producerId }) => {
      const { room, peer } = seated();
      await room.setProducerPaused(peer, producerId, true);
      return {};
    },
    resumeProducer: async ({ producerId }) => {
      const { room, peer, briefing, seat } = seated();
      if (peer.producer(producerId).appData.source === 'mic' && !briefing.micAllowed(seat)) {
        throw new SfuError('forbidden', 'the chair has not given this meeting point the floor', { reason: 'no_floor' });
      }
      await room.setProducerPaused(peer, producerId, false);
      return {};
    },
    closeProducer: async ({ producerId }) => {
      seated().peer.producer(producerId).close();
      return {};
    },
    consume: async ({ transportId, producerId }) => {
      const { room, peer } = seated();
      return room.consume(peer, transportId, producerId);
    },
    consumeMany: async ({ transportId, producers }) => {
      const { room, peer } = seated();
      return room.consumeMany(peer, transportId, producers);
    },
    resumeConsumer: async ({ consumerId }) => {
      const { room, peer } = seated();
      const consumer = peer.consumer(consumerId);
      await consumer.resume();
      room.receivingChanged(peer, [consumer.producerId]);
      return {};
    },
    resumeConsumers: async ({ consumerIds }) => {
      const { room, peer } = seated();
      // Only this point's own consumers are found; another's id reads as gone, like a closed one.
      const consumers = consumerIds.flatMap((consumerId) => peer.consumers.get(consumerId) ?? []);
      await Promise.all(consumers.map((consumer) => consumer.resume().catch(() => undefined)));
      room.receivingChanged(peer, consumers.map((c) => c.producerId));
      return { gone: consumerIds.filter((consumerId) => !peer.consumers.has(consumerId)) };
    },
    pauseConsumer: async ({ consumerId }) => {
      const { room, peer } = seated();
      const consumer = peer.consumer(consumerId);
      await consumer.pause();
      room.receivingChanged(peer, [consumer.producerId]);
      return {};
    },
    setConsumerLayer: async ({ consumerId, spatialLayer, temporalLayer, priority }) => {
      const { room, peer } = seated();
      const consumer = peer.consumer(consumerId);
      if (consumer.type === 'simulcast') await consumer.setPreferredLayers({ spatialLayer, temporalLayer });
      if (priority !== undefined) await consumer.setPriority(priority);
      room.receivingChanged(peer, [consumer.producerId]);
      return {};
    },
    reportLink: async (figures) => {
      seated().peer.reportLink(figures);
      return {};
    },
    setAgendaItem: async ({ index }) => seated().briefing.setAgendaItem(index),
    setPresenterPage: async (page) => {
      const { briefing, seat } = seated();
      briefing.setPresenterPage(seat, page);
      return {};
    },
  };
}
