// The upper server's side of a relayed briefing: a province server seated as `relay` opens one
// pipe transport and takes the briefing's streams over it, every simulcast layer, each once.
// mediasoup moves them (the same pipes `pipeToRouter` uses between workers); the keys of the
// link's SRTP cross the signaling's TLS.
import type { types } from 'mediasoup';
import type { RequestData, ResponseData } from '../../protocol';
import { SfuError } from '../errors';
import type { SeatedMedia } from '../mediaHandlers';
import type { ProducerData } from '../Peer';

export type RelayMethod = 'createPipeTransport' | 'connectPipeTransport' | 'pipeConsume' | 'pipeProduce' | 'relayReport';
type Handlers = { [M in RelayMethod]: (data: RequestData<M>) => Promise<ResponseData<M>> };

export interface RelayOptions {
  /** The address of this server the relay's signaling arrived at: its pipe listens there, as
   * that address is known to reach the relay. */
  localAddress: string;
  /** This server's media addresses: one behind a NAT announces its public address. */
  mediaAddresses: readonly { ip: string; announcedIp?: string }[];
  /** The address the relay's signaling comes from: media is sent back there only. */
  address: string;
}

/** Addresses compared as written by the socket (IPv4 may come as ::ffff:a.b.c.d). */
const plainAddress = (ip: string) => ip.replace(/^::ffff:/i, '');

export function relayHandlers(seated: () => SeatedMedia, options: RelayOptions): Handlers {
  const local = plainAddress(options.localAddress);
  const configured = options.mediaAddresses.find((a) => a.ip === local) ?? options.mediaAddresses.find((a) => ['0.0.0.0', '::'].includes(a.ip));
  const pipeAddress = { ip: local, ...(configured?.announcedIp ? { announcedIp: configured.announcedIp } : {}) };
  const pipeOf = (transportId: string): types.PipeTransport => {
    const transport = seated().peer.transport(transportId);
    if (transport.appData.direction !== 'pipe') throw new SfuError('bad_request', 'not a pipe transport');
    return transport as types.PipeTransport;
  };
  return {
    createPipeTransport: async () => {
      const { room, peer } = seated();
      if ([...peer.transports.values()].some((t) => t.appData.direction === 'pipe')) {
        throw new SfuError('over_limit', 'a relay holds one pipe transport; close the link to open another', { reason: 'media_limit', count: 1 });
      }
      const transport = await room.routers.home(peer.id).router.createPipeTransport({
        listenIp: pipeAddress,
        enableRtx: true,
        enableSrtp: true,
        appData: { direction: 'pipe' },
      });
      peer.transports.set(transport.id, transport);
      transport.observer.on('close', () => peer.transports.delete(transport.id));
      const srtpParameters = transport.srtpParameters;
      if (!srtpParameters) throw new SfuError('internal', 'the pipe transport has no SRTP keys');
      return { id: transport.id, ip: pipeAddress.announcedIp ?? transport.tuple.localIp, port: transport.tuple.localPort, srtpParameters };
    },
    connectPipeTransport: async ({ transportId, ip, port, srtpParameters }) => {
      // A relay's code must not turn this server into a firehose aimed at someone else.
      if (plainAddress(ip) !== plainAddress(options.address)) {
        throw new SfuError('forbidden', `media is sent back only to the address the relay signals from (${plainAddress(options.address)}), not ${ip}`);
      }
      await pipeOf(transportId).connect({ ip, port, srtpParameters });
      return {};
    },
    pipeConsume: async ({ transportId, producerIds }) => {
      const { room, peer } = seated();
      const transport = pipeOf(transportId);
      const home = room.routers.home(peer.id);
      const refused: { producerId: string; message: string }[] = [];
      const piped = await Promise.all(
        [...new Set(producerIds)].map(async (producerId) => {
          const owner = [...room.peers.values()].find((p) => p.producers.has(producerId));
          const producer = owner?.producers.get(producerId);
          if (!owner || !producer || owner === peer) {
            refused.push({ producerId, message: `no producer ${producerId} to relay` });
            return [];
          }
          // Each stream crosses the link once: the relay holds no more than the briefing has.
          if ([...peer.consumers.values()].some((c) => c.producerId === producerId)) {
            refused.push({ producerId, message: `${producerId} is already relayed` });
            return [];
          }
          try {
            await room.routers.bring(producerId, room.routers.home(owner.id), home.router);
            const consumer = await transport.consume({ producerId });
            peer.consumers.set(consumer.id, consumer);
            consumer.observer.on('close', () => peer.consumers.delete(consumer.id));
            return [{ producerId, peerId: owner.id, kind: consumer.kind, source: producer.appData.source, rtpParameters: consumer.rtpParameters, producerPaused: consumer.producerPaused }];
          } catch (error) {
            refused.push({ producerId, message: error instanceof Error ? error.message : String(error) });
            return [];
          }
        }),
      );
      return { piped: piped.flat(), refused };
    },
    pipeProduce: async ({ transportId, kind, source, rtpParameters }) => {
      const { room, peer, briefing, seat } = seated();
      const transport = pipeOf(transportId);
      // A microphone sent as a "camera" would slip past the floor rule.
      if ((source === 'mic') !== (kind === 'audio')) throw new SfuError('bad_request', `a ${source} is sent as ${source === 'mic' ? 'audio' : 'video'}`);
      if ([...peer.producers.values()].some((p) => p.appData.source === source)) {
        throw new SfuError('over_limit', `a relay sends one ${source} at a time: close the last one first`, { reason: 'media_limit', count: 1 });
      }
      const producer = await transport.produce<ProducerData>({ kind, rtpParameters, appData: { source, peerId: peer.id } });
      await room.adopt(peer, producer);
      // The floor rule holds for a relayed microphone as for any: heard only while the relay's seat
      // holds the floor in briefing mode.
      if (source === 'mic' && !briefing.micAllowed(seat)) await room.setMicPaused(peer.id, true);
      return { producerId: producer.id };
    },
    relayReport: async (counts) => {
      const { briefing, seat } = seated();
      briefing.reportRelayed(seat, counts);
      return {};
    },
  };
}
