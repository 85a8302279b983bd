// A briefing as invited under the state meeting regime: who, when, where, and the agenda with
// its documents. Shared by the server's catalog, the desktop store and the renderer.
import { z } from 'zod';
import { BriefingChange, BriefingCode } from './index';
import { Role } from './chairing';

export { BriefingChange } from './index';

/** Largest document accepted, on both sides. */
export const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;
export const DOCUMENT_TYPES = {
  'application/pdf': '.pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx',
} as const;
export type DocumentMimeType = keyof typeof DOCUMENT_TYPES;

export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lower-case hex');

export const DocumentRef = z.object({
  sha256: Sha256,
  name: z.string().trim().min(1).max(200),
  mimeType: z.enum(Object.keys(DOCUMENT_TYPES) as [DocumentMimeType, ...DocumentMimeType[]]),
  size: z.number().int().positive().max(MAX_DOCUMENT_BYTES),
});
export type DocumentRef = z.infer<typeof DocumentRef>;

export const AgendaItem = z.object({
  title: z.string().trim().min(1).max(300),
  presenter: z.string().trim().max(120),
  plannedMinutes: z.number().int().min(1).max(600),
  documents: z.array(DocumentRef).max(30),
  /** The item that reviews the previous briefing's assignments: its content is the series' review. */
  review: z.boolean().optional(),
});
export type AgendaItem = z.infer<typeof AgendaItem>;

export const BriefingDraft = z.object({
  code: BriefingCode,
  title: z.string().trim().min(1).max(300),
  hostUnit: z.string().trim().min(1).max(200),
  chair: z.string().trim().min(1).max(120),
  secretary: z.string().trim().min(1).max(120),
  /** ISO 8601 with offset, e.g. 2026-11-23T07:30:00+07:00. */
  startsAt: z.iso.datetime({ offset: true }),
  expectedMinutes: z.number().int().min(5).max(24 * 60),
  place: z.string().trim().min(1).max(200),
  /** Regular briefings carry the 3-working-day deadline for documents. */
  regular: z.boolean(),
  /** The series it belongs to ("Giao ban tuần UBND tỉnh"), so the previous briefing is defined; absent for none. */
  series: z.string().trim().max(120).optional(),
  invitedPoints: z.array(z.string().trim().min(1).max(80)).min(1).max(500),
  /** Province servers that relay this briefing to their own communes (a national briefing):
   * each takes one seat with the role `relay` (protocol/cascade.ts). */
  invitedServers: z.array(z.string().trim().min(1).max(80)).max(40).optional(),
  agenda: z.array(AgendaItem).min(1, 'a briefing needs at least one agenda item').max(50),
});
export type BriefingDraft = z.infer<typeof BriefingDraft>;

export const PublishedBriefing = BriefingDraft.extend({
  version: z.number().int().positive(),
  publishedAt: z.iso.datetime({ offset: true }),
  /** What changed against the previous version; the app words it in the user's language. */
  changes: z.array(BriefingChange),
});
export type PublishedBriefing = z.infer<typeof PublishedBriefing>;

/** An invite code the server issued for one seat; shown once, to the publisher. */
export const IssuedInvite = z.object({
  seat: z.string(),
  role: Role,
  code: z.string(),
});
export type IssuedInvite = z.infer<typeof IssuedInvite>;

/** What publishing answers: the version, and the invite codes issued with it (new seats only). */
export const PublishAnswer = PublishedBriefing.extend({ credentials: z.array(IssuedInvite) });

/** An assignment as the minutes hold it: who, what, by when (blank: no deadline set). */
export const AssignmentRow = z.object({
  unit: z.string().trim().min(1).max(200),
  task: z.string().trim().min(1).max(2000),
  deadline: z.iso.date().or(z.literal('')),
});
export type AssignmentRow = z.infer<typeof AssignmentRow>;

/** The signed records of a briefing that go to every meeting point that attended. */
export const RecordKind = z.enum(['minutes', 'conclusions']);
export type RecordKind = z.infer<typeof RecordKind>;

export const RecordNotice = z.object({
  briefingCode: BriefingCode,
  kind: RecordKind,
  document: DocumentRef.extend({ mimeType: z.literal('application/pdf') }),
  recipients: z.array(z.string().trim().min(1).max(80)).min(1).max(500),
  /** The minutes' assignments, tracked from the moment the record is issued. */
  assignments: z.array(AssignmentRow).max(100).default([]),
});
export type RecordNotice = z.infer<typeof RecordNotice>;

export const PublishedRecord = RecordNotice.extend({ publishedAt: z.iso.datetime({ offset: true }) });
export type PublishedRecord = z.infer<typeof PublishedRecord>;

/** The seats a briefing invites: the chair's room (its host unit), the secretary, the points.
 * The server issues an invite code per seat; the publishing PC keeps those still invited. */
export function invitedSeats(briefing: Pick<BriefingDraft, 'hostUnit' | 'secretary' | 'invitedPoints' | 'invitedServers'>): { name: string; role: 'chair' | 'secretary' | 'point' | 'relay' }[] {
  const seats: { name: string; role: 'chair' | 'secretary' | 'point' | 'relay' }[] = [
    { name: briefing.hostUnit, role: 'chair' },
    { name: `Thư ký: ${briefing.secretary}`, role: 'secretary' },
  ];
  for (const point of briefing.invitedPoints) if (!seats.some((s) => s.name === point)) seats.push({ name: point, role: 'point' });
  for (const server of briefing.invitedServers ?? []) if (!seats.some((s) => s.name === server)) seats.push({ name: server, role: 'relay' });
  return seats;
}

/** Every document of a briefing, once each. */
export function briefingDocuments(briefing: BriefingDraft): DocumentRef[] {
  const seen = new Map<string, DocumentRef>();
  for (const item of briefing.agenda) for (const doc of item.documents) if (!seen.has(doc.sha256)) seen.set(doc.sha256, doc);
  return [...seen.values()];
}

/** What changed between two versions, for the notice every meeting point gets. */
export function describeChanges(before: BriefingDraft, after: BriefingDraft): BriefingChange[] {
  const changes: BriefingChange[] = [];
  const fields = ['title', 'hostUnit', 'chair', 'secretary', 'startsAt', 'expectedMinutes', 'place'] as const;
  for (const field of fields) {
    if (before[field] !== after[field]) changes.push({ field, before: String(before[field]), after: String(after[field]) });
  }
  const added = after.invitedPoints.filter((p) => !before.invitedPoints.includes(p));
  const removed = before.invitedPoints.filter((p) => !after.invitedPoints.includes(p));
  if (added.length) changes.push({ field: 'invitedPoints', after: added.join(', ') });
  if (removed.length) changes.push({ field: 'invitedPoints', before: removed.join(', ') });
  const titles = (b: BriefingDraft) => b.agenda.map((i) => `${i.title} (${i.presenter}, ${i.plannedMinutes})`).join('\n');
  if (titles(before) !== titles(after)) changes.push({ field: 'agenda' });
  const docs = (b: BriefingDraft) => briefingDocuments(b).map((d) => d.sha256).sort().join();
  if (docs(before) !== docs(after)) changes.push({ field: 'documents' });
  return changes;
}
