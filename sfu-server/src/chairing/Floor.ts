// Who may speak: the floor mode, the queue of points that asked to speak, who holds the floor,
// and every turn, timed against the agenda item it was on (the minutes count them).
import type { FloorMode, FloorTurn } from '../../protocol';

export class Floor {
  mode: FloorMode = 'discussion';
  speaker: FloorTurn | null = null;
  readonly queue: { seat: string; since: string }[] = [];
  readonly turns: FloorTurn[] = [];

  ask(seat: string, now: string): boolean {
    if (this.speaker?.seat === seat || this.queue.some((q) => q.seat === seat)) return false;
    this.queue.push({ seat, since: now });
    return true;
  }

  withdraw(seat: string): boolean {
    const at = this.queue.findIndex((q) => q.seat === seat);
    if (at < 0) return false;
    this.queue.splice(at, 1);
    return true;
  }

  /** Gives the floor, ending the current turn; returns the seat that lost it, if another. */
  grant(seat: string, agendaIndex: number | null, now: string): string | null {
    const previous = this.end(now);
    this.withdraw(seat);
    this.speaker = { seat, agendaIndex, startedAt: now, endedAt: null };
    return previous !== seat ? previous : null;
  }

  /** Ends the current turn; returns who had the floor. */
  end(now: string): string | null {
    if (!this.speaker) return null;
    const ended = { ...this.speaker, endedAt: now };
    this.turns.push(ended);
    this.speaker = null;
    return ended.seat;
  }

  /** A seat that left for good loses its place and, if it held it, the floor. */
  forget(seat: string, now: string): void {
    this.withdraw(seat);
    if (this.speaker?.seat === seat) this.end(now);
  }
}
