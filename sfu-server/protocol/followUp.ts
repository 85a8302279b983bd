// What one briefing assigns and the next one reviews: the assignments of signed minutes become
// tracked items on the host's server, addressed to a meeting point of the series (or to an
// internal unit by name); the assignee reports progress; the next briefing of the series reviews.
import { z } from 'zod';
import { BriefingCode } from './index';
import { AssignmentRow, DocumentRef } from './briefing';

export { AssignmentRow };


export const ProgressReport = z.strictObject({
  note: z.string().trim().max(2000),
  percent: z.number().int().min(0).max(100),
  done: z.boolean(),
  /** A document the assignee attached (uploaded first). */
  document: DocumentRef.nullable().default(null),
});
export type ProgressReport = z.infer<typeof ProgressReport>;

export const ProgressEntry = z.object({
  at: z.iso.datetime({ offset: true }),
  /** The seat that reported. */
  by: z.string(),
  note: z.string(),
  percent: z.number().int(),
  done: z.boolean(),
  document: DocumentRef.nullable(),
});
export type ProgressEntry = z.infer<typeof ProgressEntry>;

export const AssignmentId = z.string().regex(/^[1-9]\d{0,9}$/, 'an assignment number');

export const TrackedAssignment = z.object({
  id: z.number().int().positive(),
  briefingCode: BriefingCode,
  briefingTitle: z.string(),
  series: z.string(),
  /** When the assigning briefing was held. */
  assignedAt: z.iso.datetime({ offset: true }),
  unit: z.string(),
  /** The meeting point it is addressed to, when the unit is one; null for an internal unit. */
  point: z.string().nullable(),
  task: z.string(),
  deadline: z.iso.date().or(z.literal('')),
  /** When the assignee reported it done; null while open. */
  doneAt: z.iso.datetime({ offset: true }).nullable(),
  progress: z.array(ProgressEntry),
});
export type TrackedAssignment = z.infer<typeof TrackedAssignment>;

export const AssignmentList = z.object({ assignments: z.array(TrackedAssignment) });

/** What a briefing of a series reviews: the previous one's assignments and any still open from
 * before it. */
export const SeriesReview = z.object({
  previous: z.object({ code: BriefingCode, title: z.string(), startsAt: z.iso.datetime({ offset: true }) }).nullable(),
  assignments: z.array(TrackedAssignment),
});
export type SeriesReview = z.infer<typeof SeriesReview>;

/** The title of the agenda item that opens a briefing of a series. */
export const REVIEW_ITEM_TITLE = 'Rà soát kết quả thực hiện kết luận';

/** Names compared as people type them: case, diacritics (composed or decomposed), spacing. */
export function unitKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
