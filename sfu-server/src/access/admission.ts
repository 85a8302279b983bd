// Who a join lets in, and to which seat: the seat a dropped link's secret holds, the seat an
// invite code opens (wrong codes back off, per address and per connection), the guest the chair
// let in from the lobby, or nobody yet (the lobby). A live seat is taken back only with its
// secret, so a copied invite code cannot push out the meeting point that is using it.
import type { BriefingDirectory } from '../BriefingDirectory';
import type { Briefing } from '../chairing/Briefing';
import type { Seat } from '../chairing/Seats';
import { SfuError } from '../errors';
import type { CredentialAttempts } from './CredentialAttempts';

const CREDENTIAL_PROBLEMS = {
  unknown: { message: 'this invite code is not valid', reason: 'invite_unknown' },
  revoked: { message: 'this invite code was withdrawn', reason: 'invite_withdrawn' },
  other_briefing: { message: 'this invite code is for another briefing', reason: 'invite_other_briefing' },
} as const;

export interface Applicant {
  displayName: string;
  credential?: string;
  resume?: string;
  /** The network address and the connection's own key, for counting wrong codes. */
  address: string;
  attemptKey: string;
  /** The chair admitted this connection from this briefing's lobby. */
  admittedByChair: boolean;
  /** …into this invited seat (else as a guest). */
  admittedAs?: string;
}

export type Admission = { kind: 'seat'; seat: Seat; resuming: boolean } | { kind: 'lobby' };

export async function admit(briefing: Briefing, applicant: Applicant, rooms: BriefingDirectory, attempts: CredentialAttempts): Promise<Admission> {
  if (briefing.hasEnded) throw new SfuError('forbidden', 'this briefing has ended', { reason: 'briefing_ended' });
  const seat = await findSeat(briefing, applicant, rooms, attempts);
  if (!seat) return { kind: 'lobby' };
  const resuming = applicant.resume !== undefined && seat.secret === applicant.resume;
  if (seat.peerId) {
    if (!resuming) {
      void briefing.log('join_refused', applicant.displayName, seat.name, 'seat in use');
      throw new SfuError('seat_taken', `"${seat.name}" is already connected`, { reason: 'seat_in_use' });
    }
    rooms.evict(seat.peerId);
  }
  if (seat.state !== 'reconnecting' && !resuming) rooms.checkPointCap();
  return { kind: 'seat', seat, resuming };
}

async function findSeat(briefing: Briefing, applicant: Applicant, rooms: BriefingDirectory, attempts: CredentialAttempts): Promise<Seat | undefined> {
  const held = applicant.resume ? briefing.seats.bySecret(applicant.resume) : undefined;
  if (held) return held;
  if (applicant.credential) {
    const wait = Math.max(attempts.waitFor(applicant.address), attempts.waitFor(applicant.attemptKey));
    if (wait > 0) throw new SfuError('rate_limited', `too many wrong invite codes: try again in ${Math.ceil(wait / 1000)} s`, { reason: 'invite_backoff', count: Math.ceil(wait / 1000) });
    let found = await rooms.invitations.verify(briefing.code, applicant.credential);
    if ('problem' in found && found.problem === 'unknown') {
      const enrolled = await rooms.enrolledSeat(briefing.code, applicant.credential);
      if (enrolled === 'withdrawn') found = { problem: 'revoked' };
      else if (enrolled !== null) found = { briefingCode: briefing.code, seat: enrolled.seat, role: 'point' };
    }
    if ('problem' in found) {
      const detail = `"${applicant.displayName}": credential ${found.problem}`;
      // Only a code this server never issued is a guess; a withdrawn code, or one of another
      // briefing, is a real code used in the wrong place: logged, not counted.
      if (found.problem === 'unknown') {
        attempts.failed(applicant.address, briefing.code, detail);
        attempts.failed(applicant.attemptKey, briefing.code, detail, false);
      } else void briefing.log('join_refused', applicant.displayName, applicant.displayName, `credential ${found.problem}`);
      throw new SfuError('bad_credential', CREDENTIAL_PROBLEMS[found.problem].message, { reason: CREDENTIAL_PROBLEMS[found.problem].reason });
    }
    const seat = briefing.seats.get(found.seat);
    if (!seat) throw new SfuError('bad_credential', CREDENTIAL_PROBLEMS.revoked.message, { reason: CREDENTIAL_PROBLEMS.revoked.reason });
    return seat;
  }
  if (!applicant.admittedByChair) return undefined;
  return applicant.admittedAs !== undefined ? briefing.seats.byId(applicant.admittedAs) : briefing.seats.addGuest(applicant.displayName);
}
