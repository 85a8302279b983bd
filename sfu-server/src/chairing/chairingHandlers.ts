// The chairing requests of the protocol, for a connection seated in a briefing. Who may call
// each one is decided before (permissions.ts); here the briefing does what was asked.
import type { RequestData, ResponseData } from '../../protocol';
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
  | 'closeVote';

type Handlers = { [M in ChairingMethod]: (data: RequestData<M>) => Promise<ResponseData<M>> };

export function chairingHandlers(seated: () => { briefing: Briefing; seat: Seat }): Handlers {
  const done = {} as Record<string, never>;
  return {
    admit: async ({ lobbyId }) => {
      const { briefing, seat } = seated();
      briefing.admit(seat, lobbyId);
      return done;
    },
    refuse: async ({ lobbyId }) => {
      const { briefing, seat } = seated();
      briefing.refuse(seat, lobbyId);
      return done;
    },
    setLocked: async ({ locked }) => {
      const { briefing, seat } = seated();
      briefing.setLocked(seat, locked);
      return done;
    },
    setRole: async ({ seat: name, role }) => {
      const { briefing, seat } = seated();
      briefing.setRole(seat, name, role);
      return done;
    },
    requestFloor: async () => {
      const { briefing, seat } = seated();
      briefing.requestFloor(seat);
      return done;
    },
    cancelFloorRequest: async () => {
      const { briefing, seat } = seated();
      briefing.cancelFloorRequest(seat);
      return done;
    },
    grantFloor: async ({ seat: name }) => {
      const { briefing, seat } = seated();
      await briefing.grantFloor(seat, name);
      return done;
    },
    revokeFloor: async () => {
      const { briefing, seat } = seated();
      await briefing.revokeFloor(seat);
      return done;
    },
    muteSeat: async ({ seat: name }) => {
      const { briefing, seat } = seated();
      await briefing.mute(seat, name);
      return done;
    },
    muteAll: async () => {
      const { briefing, seat } = seated();
      await briefing.muteAll(seat);
      return done;
    },
    setFloorMode: async ({ mode }) => {
      const { briefing, seat } = seated();
      await briefing.setMode(seat, mode);
      return done;
    },
    startRollCall: async () => {
      seated().briefing.startRollCall();
      return done;
    },
    endRollCall: async () => {
      seated().briefing.endRollCall();
      return done;
    },
    answerRollCall: async () => {
      const { briefing, seat } = seated();
      briefing.answerRollCall(seat);
      return done;
    },
    markAbsent: async ({ seat: name, reason }) => {
      seated().briefing.markAbsent(name, reason);
      return done;
    },
    setAttendees: async ({ attendees }) => {
      const { briefing, seat } = seated();
      briefing.setAttendees(seat, attendees);
      return done;
    },
    setAudioOnly: async ({ audioOnly }) => {
      const { briefing, seat } = seated();
      briefing.setAudioOnly(seat, audioOnly);
      return done;
    },
    openVote: async ({ question, options }) => {
      const { briefing, seat } = seated();
      return { voteId: briefing.openVote(seat, question, options) };
    },
    castVote: async ({ voteId, option }) => {
      const { briefing, seat } = seated();
      briefing.castVote(seat, voteId, option);
      return done;
    },
    closeVote: async ({ voteId }) => {
      const { briefing, seat } = seated();
      briefing.closeVote(seat, voteId);
      return done;
    },
  };
}
