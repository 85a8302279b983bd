// Who may call what. Every method of the protocol is listed, so a new one cannot slip through
// without a decision: `anyone` before joining, `seated` for any role once joined, or the roles.
import type { Method, Role } from '../../protocol';

type Who = 'anyone' | 'seated' | readonly Role[];

const CHAIR = ['chair'] as const;
const RELAY = ['relay'] as const;

export const PERMISSIONS: Record<Method, Who> = {
  getRouterRtpCapabilities: 'anyone',
  join: 'anyone',
  leave: 'anyone',
  ping: 'anyone',
  createTransport: 'seated',
  createPlainTransport: 'seated',
  connectPlainTransport: 'seated',
  connectTransport: 'seated',
  restartIce: 'seated',
  produce: 'seated',
  pauseProducer: 'seated',
  resumeProducer: 'seated',
  closeProducer: 'seated',
  consume: 'seated',
  consumeMany: 'seated',
  resumeConsumer: 'seated',
  resumeConsumers: 'seated',
  pauseConsumer: 'seated',
  setConsumerLayer: 'seated',
  reportLink: 'seated',
  setAgendaItem: CHAIR,
  setPresenterPage: ['chair', 'presenter'],
  admit: CHAIR,
  refuse: CHAIR,
  setLocked: CHAIR,
  setRole: CHAIR,
  requestFloor: ['secretary', 'presenter', 'point', 'relay'],
  cancelFloorRequest: ['secretary', 'presenter', 'point', 'relay'],
  grantFloor: CHAIR,
  revokeFloor: CHAIR,
  muteSeat: CHAIR,
  muteAll: CHAIR,
  setFloorMode: CHAIR,
  startRollCall: CHAIR,
  endRollCall: CHAIR,
  answerRollCall: 'seated',
  // The secretary keeps the attendance, so may record an absence too.
  markAbsent: ['chair', 'secretary'],
  setAttendees: 'seated',
  setAudioOnly: 'seated',
  openVote: CHAIR,
  castVote: 'seated',
  closeVote: CHAIR,
  endBriefing: CHAIR,
  // A province server's seat only: the pipes of a relayed briefing.
  createPipeTransport: RELAY,
  connectPipeTransport: RELAY,
  pipeConsume: RELAY,
  pipeProduce: RELAY,
  relayReport: RELAY,
};

/** Whether a connection (seated with `role`, or not seated) may call `method`. */
export function mayCall(method: Method, role: Role | null): boolean {
  const who = PERMISSIONS[method];
  if (who === 'anyone') return true;
  if (role === null) return false;
  return who === 'seated' || who.includes(role);
}
