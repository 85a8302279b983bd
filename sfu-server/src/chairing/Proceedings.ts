// Where the briefing stands: the agenda item the chair is on (and when each item began) and the
// document page the presenter shows. Owned by the Briefing, so a media restart forgets none of
// it; the presenter is kept by seat, since a seat's connection (its peer id) changes on rejoin.
import type { AgendaItemTime, AgendaPosition, PresenterPage } from '../../protocol';

/** Below the 500 the protocol's ControlState takes. */
export const MAX_ITEM_TIMES = 400;

export class Proceedings {
  private current: AgendaPosition | null = null;
  private readonly times: AgendaItemTime[] = [];
  private presenter: { seatId: string; page: PresenterPage } | null = null;
  private ended: string | null = null;

  get endedAt(): string | null {
    return this.ended;
  }

  /** The chair ended the briefing: the item under way ends with it. */
  end(at: string): void {
    if (this.ended) return;
    const open = this.times.at(-1);
    if (open && open.endedAt === null) open.endedAt = at;
    this.ended = at;
  }

  get position(): AgendaPosition | null {
    return this.current;
  }

  get itemTimes(): readonly AgendaItemTime[] {
    return this.times;
  }

  moveTo(index: number, at: string): AgendaPosition {
    const open = this.times.at(-1);
    if (open && open.endedAt === null) open.endedAt = at;
    this.times.push({ index, startedAt: at, endedAt: null });
    // Snapshots carry every item time and clients take at most 500: a chair clicking back and
    // forth all day must not make every snapshot unreadable. The oldest moves go first.
    if (this.times.length > MAX_ITEM_TIMES) this.times.splice(0, this.times.length - MAX_ITEM_TIMES);
    this.current = { index, startedAt: at };
    return this.current;
  }

  present(seatId: string, page: PresenterPage): void {
    this.presenter = { seatId, page };
  }

  /** The page as meeting points see it: with the presenter's current connection, if present. */
  presenterPage(peerIdOf: (seatId: string) => string | null): (PresenterPage & { presenterPeerId: string }) | null {
    if (!this.presenter) return null;
    const peerId = peerIdOf(this.presenter.seatId);
    return peerId ? { ...this.presenter.page, presenterPeerId: peerId } : { ...this.presenter.page, presenterPeerId: '' };
  }
}
