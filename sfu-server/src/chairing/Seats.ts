// The seats of one briefing: every invited meeting point, the chair's and the secretary's, and
// the points the chair let in from the lobby. A seat outlives its connection: a point whose link
// drops keeps its seat (role, place in the floor queue) while it reconnects.
import { randomBytes } from 'node:crypto';
import type { Attendee, Role, SeatInfo, SeatState } from '../../protocol';
import { SfuError } from '../errors';

export interface Seat {
  /** Opaque, what the protocol calls the seat by; the name is its label. */
  id: string;
  name: string;
  /** The role the credential gives; the chair may make a point the presenter. */
  baseRole: Role;
  role: Role;
  invited: boolean;
  state: SeatState;
  peerId: string | null;
  /** Presented as `resume` to take the seat back after a dropped link. */
  secret: string | null;
  joinedAt: string | null;
  /** When its connection last went (left or dropped); null while connected. */
  leftAt: string | null;
  absentReason: string | null;
  attendees: Attendee[];
  rollCallAnsweredAt: string | null;
  audioOnly: boolean;
  /** A relay's points, as it last reported them. */
  relayed?: { present: number; invited: number };
  holdTimer: ReturnType<typeof setTimeout> | null;
}

export class Seats {
  private readonly seats = new Map<string, Seat>();

  constructor(
    /** How long a seat whose link dropped is held before it counts as left. */
    private readonly holdMs: number,
    private readonly onHoldExpired: (seat: Seat) => void,
  ) {}

  /** Brings the roster in line with the published invitation; seats in use are never dropped. */
  invite(entries: { name: string; role: Role }[]): void {
    const wanted = new Set(entries.map((e) => e.name));
    for (const [name, seat] of this.seats) {
      if (seat.invited && !wanted.has(name) && seat.state === 'not_joined') this.seats.delete(name);
    }
    for (const entry of entries) {
      const seat = this.seats.get(entry.name);
      if (seat) {
        seat.invited = true;
        seat.baseRole = entry.role;
        if (seat.role !== 'presenter') seat.role = entry.role;
      } else this.seats.set(entry.name, blankSeat(entry.name, entry.role, true));
    }
  }

  /** A seat for a point the chair admitted; its name is told apart from any invited one. */
  addGuest(displayName: string): Seat {
    let name = displayName;
    for (let n = 2; this.seats.has(name); n++) name = `${displayName} (${n})`;
    const seat = blankSeat(name, 'point', false);
    this.seats.set(name, seat);
    return seat;
  }

  get(name: string): Seat | undefined {
    return this.seats.get(name);
  }

  /** The seat with this id, or `not_found` for the requester. */
  require(id: string): Seat {
    const seat = this.byId(id);
    if (!seat) throw new SfuError('not_found', `no seat ${id} in this briefing`);
    return seat;
  }

  byId(id: string): Seat | undefined {
    return [...this.seats.values()].find((s) => s.id === id);
  }

  bySecret(secret: string): Seat | undefined {
    return [...this.seats.values()].find((s) => s.secret !== null && s.secret === secret);
  }

  byPeer(peerId: string): Seat | undefined {
    return [...this.seats.values()].find((s) => s.peerId === peerId);
  }

  all(): Seat[] {
    return [...this.seats.values()];
  }

  present(): Seat[] {
    return this.all().filter((s) => s.state === 'present');
  }

  /** The seat is taken by a connection; a new secret each time, so an old one cannot be replayed. */
  occupy(seat: Seat, peerId: string, now: string): string {
    if (seat.holdTimer) clearTimeout(seat.holdTimer);
    seat.holdTimer = null;
    seat.state = 'present';
    seat.peerId = peerId;
    seat.joinedAt ??= now;
    seat.leftAt = null;
    seat.absentReason = null;
    seat.secret = randomBytes(18).toString('base64url');
    return seat.secret;
  }

  /** The connection is gone. Left on purpose: the seat is free. Link dropped: held for a while. */
  vacate(seat: Seat, how: 'left' | 'dropped', now: string): void {
    seat.peerId = null;
    seat.leftAt = now;
    if (how === 'left') {
      seat.state = 'left';
      seat.secret = null;
      return;
    }
    seat.state = 'reconnecting';
    seat.holdTimer = setTimeout(() => {
      seat.holdTimer = null;
      if (seat.state !== 'reconnecting') return;
      seat.state = 'left';
      seat.secret = null;
      this.onHoldExpired(seat);
    }, this.holdMs);
    seat.holdTimer.unref();
  }

  info(seat: Seat): SeatInfo {
    return {
      seatId: seat.id,
      seat: seat.name,
      role: seat.role,
      invited: seat.invited,
      state: seat.state,
      peerId: seat.peerId,
      joinedAt: seat.joinedAt,
      leftAt: seat.leftAt,
      absentReason: seat.absentReason,
      attendees: seat.attendees,
      rollCallAnsweredAt: seat.rollCallAnsweredAt,
      audioOnly: seat.audioOnly,
      ...(seat.relayed ? { relayed: seat.relayed } : {}),
    };
  }

  close(): void {
    for (const seat of this.seats.values()) if (seat.holdTimer) clearTimeout(seat.holdTimer);
  }
}

function blankSeat(name: string, role: Role, invited: boolean): Seat {
  return {
    id: randomBytes(9).toString('base64url'),
    name,
    baseRole: role,
    role,
    invited,
    state: 'not_joined',
    peerId: null,
    secret: null,
    joinedAt: null,
    leftAt: null,
    absentReason: null,
    attendees: [],
    rollCallAnsweredAt: null,
    audioOnly: false,
    holdTimer: null,
  };
}
