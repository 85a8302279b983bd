// The floor across a relay: a commune on the province server that asks to speak is asked for
// upstream (the upper chair's queue shows "Tỉnh X — Xã Y"); when the upper chair gives the relay's
// seat the floor, the province gives it to that commune and sends its microphone and camera up
// the link, once, for every other server and point to see; when the upper chair takes it back,
// the streams going up stop and the commune's microphone closes again.
import type { types } from 'mediasoup';
import type { ControlState } from '../../protocol';
import type { Briefing } from '../chairing/Briefing';
import type { Room } from '../Room';
import type { UpperSignaling } from './UpperSignaling';

export interface FloorRelayLink {
  signaling: UpperSignaling;
  room: Room;
  briefing: Briefing;
  pipe: types.PipeTransport;
  upperTransportId: string;
  /** The relay's own seat in the upper briefing. */
  relaySeatId: string;
}

/** Who the province's log names as giving or taking the floor. */
const UPPER_CHAIR = 'Chủ tọa cấp trên';

export class FloorRelay {
  /** The commune this relay asked the floor for upstream. */
  private askedFor: { seatId: string; seat: string } | null = null;
  /** The commune speaking through this relay, and its streams going up. */
  private speaking: { seatId: string; up: { consumer: types.Consumer; upperProducerId: string }[] } | null = null;

  constructor(private readonly link: FloorRelayLink) {}

  get isSpeaking(): boolean {
    return this.speaking !== null;
  }

  /** The province's own state changed: its first commune in the queue is asked for upstream. */
  async localChanged(local: ControlState): Promise<void> {
    if (this.speaking) return;
    const first = local.floor.queue.at(0) ?? null;
    if (first?.seatId === this.askedFor?.seatId) return;
    // One place in the upper queue per relay: it names the commune first in this province's queue.
    if (this.askedFor) await this.link.signaling.request('cancelFloorRequest', {});
    this.askedFor = first && { seatId: first.seatId, seat: first.seat };
    if (first) await this.link.signaling.request('requestFloor', { onBehalfOf: first.seat });
  }

  /** The upper state changed: the floor came to this relay's seat, or left it. */
  async upperChanged(upper: ControlState): Promise<void> {
    // The upper chair's floor mode holds here too: in briefing mode a province's communes do not
    // talk among themselves over the upper chair.
    if (upper.floor.mode !== this.link.briefing.floorMode) await this.link.briefing.setMode({ name: UPPER_CHAIR }, upper.floor.mode);
    const holds = upper.floor.speaker?.seatId === this.link.relaySeatId;
    if (holds && !this.speaking && this.askedFor) {
      const { seatId } = this.askedFor;
      this.askedFor = null;
      const seat = this.link.briefing.seats.byId(seatId);
      if (!seat?.peerId) return;
      await this.link.briefing.grantFloor({ name: UPPER_CHAIR }, seatId);
      this.speaking = { seatId, up: [] };
      await this.sendUp(seat.peerId);
    } else if (!holds && this.speaking) {
      await this.stop();
      await this.link.briefing.revokeFloor({ name: UPPER_CHAIR });
    }
  }

  /** The streams going up stop (the link went down, or the floor went elsewhere). */
  async stop(): Promise<void> {
    const going = this.speaking?.up ?? [];
    this.speaking = null;
    for (const { consumer, upperProducerId } of going) {
      consumer.close();
      await this.link.signaling.request('closeProducer', { producerId: upperProducerId }).catch(() => undefined);
    }
  }

  private async sendUp(peerId: string): Promise<void> {
    const { room, pipe, signaling, upperTransportId } = this.link;
    const peer = room.peers.get(peerId);
    for (const producer of peer?.producers.values() ?? []) {
      await room.routers.bring(producer.id, room.routers.home(peerId), room.routers.primary);
      const consumer = await pipe.consume({ producerId: producer.id });
      const { producerId } = await signaling.request('pipeProduce', { transportId: upperTransportId, kind: consumer.kind, source: producer.appData.source, rtpParameters: consumer.rtpParameters });
      this.speaking?.up.push({ consumer, upperProducerId: producerId });
      // The commune left or stopped its camera: the stream upstream ends with it.
      consumer.on('producerclose', () => void signaling.request('closeProducer', { producerId }).catch(() => undefined));
    }
  }
}
