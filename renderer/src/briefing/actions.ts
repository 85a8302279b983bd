// What the chair and a meeting point do in a briefing, as typed actions over the session's
// signaling: components call these and never name a protocol method. The server checks each
// against the seat's role; these only say what the button means.
import type { Attendee, FloorMode, Method, RequestData, ResponseData } from '../../../sfu-server/protocol';

type Send = <M extends Method>(method: M, data: RequestData<M>) => Promise<ResponseData<M>>;

const done = async (reply: Promise<unknown>): Promise<void> => {
  await reply;
};

/** The chair's (and the secretary's, where the server allows) actions. */
export class ChairActions {
  constructor(private readonly send: Send) {}

  /** Into an invited seat not in use (`asSeatId`), or as a guest. */
  admit = (lobbyId: string, asSeatId?: string) => done(this.send('admit', asSeatId ? { lobbyId, asSeatId } : { lobbyId }));
  refuse = (lobbyId: string) => done(this.send('refuse', { lobbyId }));
  setLocked = (locked: boolean) => done(this.send('setLocked', { locked }));
  setFloorMode = (mode: FloorMode) => done(this.send('setFloorMode', { mode }));
  grantFloor = (seatId: string) => done(this.send('grantFloor', { seatId }));
  revokeFloor = () => done(this.send('revokeFloor', {}));
  muteSeat = (seatId: string) => done(this.send('muteSeat', { seatId }));
  muteAll = () => done(this.send('muteAll', {}));
  markAbsent = (seatId: string, reason: string) => done(this.send('markAbsent', { seatId, reason }));
  startRollCall = () => done(this.send('startRollCall', {}));
  endRollCall = () => done(this.send('endRollCall', {}));
  openVote = (question: string, options: string[]) => done(this.send('openVote', { question, options }));
  closeVote = (voteId: string) => done(this.send('closeVote', { voteId }));
  endBriefing = () => done(this.send('endBriefing', {}));
}

/** A meeting point's own actions. */
export class PointActions {
  constructor(private readonly send: Send) {}

  requestFloor = () => done(this.send('requestFloor', {}));
  cancelFloorRequest = () => done(this.send('cancelFloorRequest', {}));
  answerRollCall = () => done(this.send('answerRollCall', {}));
  castVote = (voteId: string, option: number) => done(this.send('castVote', { voteId, option }));
  setAttendees = (attendees: Attendee[]) => done(this.send('setAttendees', { attendees }));
}
