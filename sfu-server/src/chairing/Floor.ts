// Who may speak: the floor mode, the queue of points that asked to speak, who holds the floor,
// and every turn, timed against the agenda item it was on (the minutes count them). Seats are
// known by id; their label rides along for the minutes.
import type { FloorMode, FloorTurn } from '../../protocol';

export interface FloorSeat {
  id: string;
  name: string;
}

export class Floor {
  mode: FloorMode = 'discussion';
  speaker: FloorTurn | null = null;
  readonly queue: { seatId: string; seat: string; since: string }[] = [];
  readonly turns: FloorTurn[] = [];

  ask(seat: FloorSeat, now: string): boolean {
    if (this.speaker?.seatId === seat.id || this.queue.some((q) => q.seatId === seat.id)) return false;
    this.queue.push({ seatId: seat.id, seat: seat.name, since: now });
    return true;
  }

  withdraw(seatId: string): boolean {
    const at = this.queue.findIndex((q) => q.seatId === seatId);
    if (at < 0) return false;
    this.queue.splice(at, 1);
    return true;
  }

  /** Gives the floor, ending the current turn; returns the id of the seat that lost it, if another. */
  grant(seat: FloorSeat, agendaIndex: number | null, now: string): string | null {
    const previous = this.end(now);
    this.withdraw(seat.id);
    this.speaker = { seatId: seat.id, seat: seat.name, agendaIndex, startedAt: now, endedAt: null };
    return previous !== seat.id ? previous : null;
  }

  /** Ends the current turn; returns the id of who had the floor. */
  end(now: string): string | null {
    if (!this.speaker) return null;
    const ended = { ...this.speaker, endedAt: now };
    this.turns.push(ended);
    this.speaker = null;
    return ended.seatId;
  }

  /** A seat that left for good loses its place and, if it held it, the floor. */
  forget(seatId: string, now: string): void {
    this.withdraw(seatId);
    if (this.speaker?.seatId === seatId) this.end(now);
  }
}
