// Who is who in a briefing and what the chair controls: roles, seats (one per meeting point,
// kept across reconnections), the lobby, the floor, roll call and votes. The server sends the
// whole picture as one `controlChanged` snapshot whenever it changes: 40 seats fit in a few KB.
import { z } from 'zod';

/** `relay`: a province server that relays the briefing to its own communes (protocol/cascade.ts). */
export const Role = z.enum(['chair', 'secretary', 'presenter', 'point', 'relay']);
export type Role = z.infer<typeof Role>;

/** A seat is a meeting point (a room with a PC), named as the briefing invites it: its label,
 * for people to read. */
export const SeatName = z.string().trim().min(1).max(80);
/** What the app and the server call a seat by: opaque, never shown, never a name. */
export const SeatId = z.string().regex(/^[A-Za-z0-9_-]{6,24}$/);
export type SeatId = z.infer<typeof SeatId>;

/** not_joined: invited, never came; present; reconnecting: its link dropped, the seat is held;
 * left: it left (or did not come back in time); absent: the chair recorded it absent, with a reason. */
export const SeatState = z.enum(['not_joined', 'present', 'reconnecting', 'left', 'absent']);
export type SeatState = z.infer<typeof SeatState>;

/** One official in front of a meeting point's camera. */
export const Attendee = z.object({
  name: z.string().trim().min(1).max(80),
  position: z.string().trim().max(80),
  unit: z.string().trim().max(120),
});
export type Attendee = z.infer<typeof Attendee>;

/** A meeting point's own view of its link, from its WebRTC stats: what it sends to the server
 * every few seconds for the chair's board (`reportLink`). */
export const LinkReport = z
  .object({
    rttMs: z.number().nonnegative().max(60_000).nullable(),
    /** Share of the point's sent packets lost on the way to the server, in percent. */
    lossPct: z.number().min(0).max(100),
    kbpsUp: z.number().nonnegative().max(1_000_000),
    kbpsDown: z.number().nonnegative().max(1_000_000),
  })
  .strict();
export type LinkReport = z.infer<typeof LinkReport>;

/** A meeting point's link on the chair's board: the point's own report while the server has no
 * reason to doubt it, else what the server measures of the media it exchanges with the point. */
export const LinkHealth = z.object({
  rttMs: z.number().nonnegative().nullable(),
  /** Share of the point's sent packets lost on the way to the server, in percent. */
  lossPct: z.number().min(0).max(100),
  kbpsUp: z.number().nonnegative(),
  kbpsDown: z.number().nonnegative(),
  /** The point's stage came below the layer it asked: its downlink cannot carry it (the server's
   * congestion control chose a lower layer). Absent from older servers. */
  stageHeldBack: z.boolean().optional(),
  /** Who measured the figures: the point itself, or the server (no fresh report, or the server's
   * own view of the media says the link is worse than reported). Absent from older servers. */
  measuredBy: z.enum(['point', 'server']).optional(),
});
export type LinkHealth = z.infer<typeof LinkHealth>;

export const SeatInfo = z.object({
  seatId: SeatId,
  seat: SeatName,
  role: Role,
  /** False for a point the chair let in from the lobby. */
  invited: z.boolean(),
  state: SeatState,
  peerId: z.string().nullable(),
  /** The first time the point joined this briefing. */
  joinedAt: z.iso.datetime().nullable(),
  /** When its connection last went (left, or a dropped link); null while connected. */
  leftAt: z.iso.datetime().nullable(),
  absentReason: z.string().max(200).nullable(),
  attendees: z.array(Attendee).max(50),
  rollCallAnsweredAt: z.iso.datetime().nullable(),
  audioOnly: z.boolean(),
  /** A relay's seat (a province server): its own briefing's invited points, and those present. */
  relayed: z.object({ present: z.number().int().min(0).max(10_000), invited: z.number().int().min(0).max(10_000) }).optional(),
});
export type SeatInfo = z.infer<typeof SeatInfo>;

export const AgendaItemTime = z.object({
  index: z.number().int().min(0).max(49),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
});
export type AgendaItemTime = z.infer<typeof AgendaItemTime>;

export const FloorMode = z.enum(['discussion', 'briefing']);
export type FloorMode = z.infer<typeof FloorMode>;

export const FloorTurn = z.object({
  seatId: SeatId,
  /** The seat's label, for the minutes. */
  seat: SeatName,
  agendaIndex: z.number().int().nullable(),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
});
export type FloorTurn = z.infer<typeof FloorTurn>;

export const VoteOptions = z.array(z.string().trim().min(1).max(60)).min(2).max(6);
export const VoteInfo = z.object({
  id: z.string(),
  question: z.string(),
  options: VoteOptions,
  agendaIndex: z.number().int().nullable(),
  openedAt: z.iso.datetime(),
  closedAt: z.iso.datetime().nullable(),
  /** Seats that answered; what each answered is not shown. */
  voted: z.array(SeatId),
  /** Answers per option, once the vote is closed. */
  counts: z.array(z.number().int().nonnegative()).nullable(),
});
export type VoteInfo = z.infer<typeof VoteInfo>;

export const LobbyEntry = z.object({ lobbyId: z.string(), displayName: z.string(), since: z.iso.datetime() });

export const ControlState = z.object({
  locked: z.boolean(),
  seats: z.array(SeatInfo),
  /** Who waits in the lobby: listed for the chair and the secretary only; everyone gets the count. */
  lobby: z.array(LobbyEntry),
  lobbyCount: z.number().int().min(0),
  floor: z.object({
    mode: FloorMode,
    /** Who holds the floor: unmuted and on everyone's main stage. */
    speaker: FloorTurn.nullable(),
    /** Points that asked to speak, in order. */
    queue: z.array(z.object({ seatId: SeatId, seat: SeatName, since: z.iso.datetime() })),
  }),
  /** The chair's roll call, while one runs or after the last one ended. */
  rollCall: z.object({ startedAt: z.iso.datetime(), endedAt: z.iso.datetime().nullable() }).nullable(),
  /** The open vote, or the last one closed. */
  vote: VoteInfo.nullable(),
  votes: z.array(VoteInfo),
  turns: z.array(FloorTurn),
  /** When each agenda item began and ended, in the order the chair took them. */
  agendaTimes: z.array(AgendaItemTime).max(500),
  /** When the chair ended the briefing; null while it runs. */
  endedAt: z.iso.datetime().nullable(),
});
export type ControlState = z.infer<typeof ControlState>;
