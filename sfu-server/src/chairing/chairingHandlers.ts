// The chairing requests of the protocol, for a connection seated in a briefing. Who may call
// each one is decided before (permissions.ts); here the briefing does what was asked.
import type { RequestData, ResponseData } from '../../protocol';
import { SfuError } from '../errors';
import type { Briefing } from './Briefing';
import type { Seat } from './Seats';

export type ChairingMethod =
  | 'admit'
  | 'refuse'
  | 'setLocked'
  | 'setRole'
  | 'requestFloor'
  | 'cancelFloorRequest'
  | 'grantFloor'
  | 'revokeFloor'
  | 'muteSeat'
  | 'muteAll'
  | 'setFloorMode'
  | 'startRollCall'
  | 'endRollCall'
  | 'answerRollCall'
  | 'markAbsent'
  | 'setAttendees'
  | 'setAudioOnly'
  | 'openVote'
  | 'castVote'
  | 'closeVote'
  | 'endBriefing';

type Handlers = { [M in ChairingMethod]: (data: RequestData<M>) => Promise<ResponseData<M>> };
type Seated = { briefing: Briefing; seat: Seat };

export function chairingHandlers(seated: () => Seated): Handlers {
  /** A request that changes the briefing and answers nothing. */
  const act =
    <D>(run: (s: Seated, data: D) => unknown) =>
    async (data: D): Promise<Record<string, never>> => {
      await run(seated(), data);
      return {};
    };
  return {
    admit: act(({ briefing, seat }, { lobbyId, asSeatId }) => briefing.admit(seat, lobbyId, asSeatId)),
    refuse: act(({ briefing, seat }, { lobbyId }) => briefing.refuse(seat, lobbyId)),
    setLocked: act(({ briefing, seat }, { locked }) => briefing.setLocked(seat, locked)),
    setRole: act(({ briefing, seat }, { seatId, role }) => briefing.setRole(seat, seatId, role)),
    requestFloor: act(({ briefing, seat }, { onBehalfOf }) => {
      if (onBehalfOf !== undefined && seat.role !== 'relay') throw new SfuError('forbidden', 'only a relay asks on behalf of another point');
      briefing.requestFloor(seat, onBehalfOf);
    }),
    cancelFloorRequest: act(({ briefing, seat }) => briefing.cancelFloorRequest(seat)),
    grantFloor: act(({ briefing, seat }, { seatId }) => briefing.grantFloor(seat, seatId)),
    revokeFloor: act(({ briefing, seat }) => briefing.revokeFloor(seat)),
    muteSeat: act(({ briefing, seat }, { seatId }) => briefing.mute(seat, seatId)),
    muteAll: act(({ briefing, seat }) => briefing.muteAll(seat)),
    setFloorMode: act(({ briefing, seat }, { mode }) => briefing.setMode(seat, mode)),
    startRollCall: act(({ briefing }) => briefing.startRollCall()),
    endRollCall: act(({ briefing }) => briefing.endRollCall()),
    answerRollCall: act(({ briefing, seat }) => briefing.answerRollCall(seat)),
    markAbsent: act(({ briefing }, { seatId, reason }) => briefing.markAbsent(seatId, reason)),
    setAttendees: act(({ briefing, seat }, { attendees }) => briefing.setAttendees(seat, attendees)),
    setAudioOnly: act(({ briefing, seat }, { audioOnly }) => briefing.setAudioOnly(seat, audioOnly)),
    openVote: async ({ question, options }) => {
      const { briefing, seat } = seated();
      return { voteId: briefing.openVote(seat, question, options) };
    },
    castVote: act(({ briefing, seat }, { voteId, option }) => briefing.castVote(seat, voteId, option)),
    closeVote: act(({ briefing, seat }, { voteId }) => briefing.closeVote(seat, voteId)),
    endBriefing: act(({ briefing, seat }) => briefing.end(seat)),
  };
}
