// Meeting points enrolled once with their host unit's server: each point of the organizer's
// directory gets one long-lived enrolment code (kept hashed, revocable), and with it, its own
// invite code for every later briefing of that organizer that invites it, with no code to send.
import { z } from 'zod';
import { BriefingCode } from './index';
import { unitKey } from './followUp';

const PointName = z.string().trim().min(1).max(80);

/** A point's name as enrolments and directories compare it: case, diacritics and "UBND" in front
 * or not ("UBND xã Tân Lập" and "Xã Tân Lập" are one point). */
export function pointKey(name: string): string {
  return unitKey(name).replace(/^(?:ubnd|uy ban nhan dan)\s+/, '');
}

/** `GBDC-` and 24 characters of base32 (120 bits): the prefix tells it from an invite code. */
export const ENROLMENT_PREFIX = 'GBDC-';
export const EnrolmentCode = z.string().trim().regex(/^GBDC-[0-9A-Za-z-]{24,40}$/i, 'an enrolment code starts with GBDC-');

export const EnrolRequest = z.object({
  points: z.array(PointName).min(1).max(500),
  /** Issue a new code to points enrolled already (their old code stops working). */
  renew: z.boolean().default(false),
});
export const EnrolAnswer = z.object({
  issued: z.array(z.object({ point: z.string(), code: z.string() })),
  /** Points enrolled before, left as they were (their code was handed out then). */
  already: z.array(z.string()),
});
export type EnrolAnswer = z.infer<typeof EnrolAnswer>;

export const Enrolment = z.object({ point: z.string(), enrolledAt: z.string() });
export const EnrolmentList = z.array(Enrolment);
export type Enrolment = z.infer<typeof Enrolment>;

export const RevokeEnrolment = z.object({ point: PointName });
export const RevokeAnswer = z.object({ revoked: z.boolean() });

/** What an enrolled point's code opens: its seat in each recent or coming briefing of its host
 * unit that invites it, each with the invite code of that seat. */
export const EnrolledInvites = z.object({
  point: z.string(),
  organizer: z.string(),
  invites: z.array(z.object({ briefingCode: BriefingCode, title: z.string(), startsAt: z.string(), seat: z.string(), code: z.string() })),
});
export type EnrolledInvites = z.infer<typeof EnrolledInvites>;
