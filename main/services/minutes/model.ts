// The minutes of a briefing (biên bản họp) as the secretary records them, item by item.
import { z } from 'zod';

export const Speaker = z.object({
  name: z.string().trim().max(120),
  unit: z.string().trim().max(200),
  summary: z.string().max(5000),
});

export const VoteResult = z.object({
  question: z.string().trim().max(500),
  yes: z.number().int().min(0),
  no: z.number().int().min(0),
  abstain: z.number().int().min(0),
});

/** Assignments are rows, not free text, so they can be followed up. */
export const Assignment = z.object({
  unit: z.string().trim().max(200),
  task: z.string().trim().max(2000),
  deadline: z.iso.date().or(z.literal('')),
});

export const ItemMinutes = z.object({
  proceedings: z.string().max(50_000),
  speakers: z.array(Speaker).max(100),
  votes: z.array(VoteResult).max(20),
  conclusions: z.string().max(20_000),
  assignments: z.array(Assignment).max(100),
  startedAt: z.iso.datetime({ offset: true }).nullable(),
  endedAt: z.iso.datetime({ offset: true }).nullable(),
});

export const Attendance = z.object({
  point: z.string().trim().min(1).max(80),
  status: z.enum(['online', 'in_room', 'absent']),
  /** Who sat in front of the camera, as the secretary notes them (name, position). */
  people: z.string().max(2000).default(''),
  absenceReason: z.string().max(500),
  joinedAt: z.iso.datetime({ offset: true }).nullable(),
  leftAt: z.iso.datetime({ offset: true }).nullable(),
  /** The secretary set the status herself: the server's account no longer changes it. */
  corrected: z.boolean().optional(),
  /** A row that is no meeting point of its own (a duplicate): kept, but left out of the papers. */
  excluded: z.boolean().optional(),
});

/** What the records office needs on the paper besides the proceedings (Decree 30/2020). */
export const RecordMeta = z.object({
  /** The number the records office gives, e.g. "12/BB-UBND"; blank until it is given. */
  minutesNumber: z.string().trim().max(40).default(''),
  conclusionsNumber: z.string().trim().max(40).default(''),
  /** The superior agency above the host unit, printed above its name; may be blank. */
  parentAgency: z.string().trim().max(200).default(''),
  /** "Nơi nhận": who receives the paper, one per line. */
  recipients: z.array(z.string().trim().max(200)).max(50).default([]),
  /** The conclusions notice's signing form: "KT. CHỦ TỊCH" (a deputy signs for the head) or
   * "TL. CHỦ TỊCH", blank when the head signs; and the signer's position ("PHÓ CHỦ TỊCH"). */
  noticeSignerAuthority: z.string().trim().max(60).default(''),
  noticeSignerPosition: z.string().trim().max(80).default(''),
});
export type RecordMeta = z.infer<typeof RecordMeta>;

export const Minutes = z.object({
  briefingCode: z.string().min(1).max(40),
  meta: RecordMeta.default({ minutesNumber: '', conclusionsNumber: '', parentAgency: '', recipients: [], noticeSignerAuthority: '', noticeSignerPosition: '' }),
  items: z.array(ItemMinutes).max(50),
  attendance: z.array(Attendance).max(500),
  /** When the chair ended the briefing, as the server told it; absent or null while it runs. */
  endedAt: z.iso.datetime({ offset: true }).nullable().optional(),
  /** Where the secretary was, so the app reopens there after a crash. */
  cursor: z.object({ itemIndex: z.number().int().min(0), field: z.string().max(40) }).nullable(),
});

export type Minutes = z.infer<typeof Minutes>;
export type MinutesInput = z.input<typeof Minutes>;
export type ItemMinutes = z.infer<typeof ItemMinutes>;
export type Attendance = z.infer<typeof Attendance>;

export function emptyItem(): ItemMinutes {
  return { proceedings: '', speakers: [], votes: [], conclusions: '', assignments: [], startedAt: null, endedAt: null };
}
