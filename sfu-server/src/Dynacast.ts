// Send only what someone receives (what LiveKit calls dynacast): for each simulcast camera, the
// highest layer any meeting point is receiving now, told to the camera's owner, whose app stops
// encoding the layers above it. A commune off stage then sends only its thumbnail layer, and an
// old PC spends nothing on a 720p encode nobody sees; given the floor, it is asked for all again.
import type { Peer } from './Peer';

export class Dynacast {
  /** The layer each producer's owner was last told. */
  private readonly told = new Map<string, number>();

  constructor(private readonly peers: ReadonlyMap<string, Peer>) {}

  /** Recomputes what is received of this producer and tells its owner if that changed. */
  update(producerId: string): void {
    const owner = [...this.peers.values()].find((p) => p.producers.has(producerId));
    const producer = owner?.producers.get(producerId);
    if (!owner || !producer || producer.closed || producer.type !== 'simulcast') return;
    const top = producer.rtpParameters.encodings?.length ? producer.rtpParameters.encodings.length - 1 : 0;
    // Nobody receiving yet: the lowest layer, so a new thumbnail starts at once.
    let wanted = 0;
    for (const peer of this.peers.values()) {
      for (const consumer of peer.consumers.values()) {
        if (consumer.producerId !== producerId || consumer.closed || consumer.paused) continue;
        wanted = Math.max(wanted, Math.min(top, consumer.preferredLayers?.spatialLayer ?? top));
      }
    }
    if (this.told.get(producerId) === wanted) return;
    this.told.set(producerId, wanted);
    owner.notify('producerLayers', { producerId, spatialLayer: wanted });
  }

  forget(producerId: string): void {
    this.told.delete(producerId);
  }
}
