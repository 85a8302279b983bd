// The narrow, typed API between the renderer and the desktop services.
// In Electron the preload exposes it over IPC; in local host mode (a browser tab) it travels
// over an authenticated local HTTP channel. Both ends validate inputs with these schemas.
import { z } from 'zod';
import type { ApiMethod } from './methods';
import { AgendaItemTime, Attendee, Role, SeatName } from '../../sfu-server/protocol';
import { RecordKind, Sha256, type BriefingDraft, type DocumentRef, type PublishedBriefing } from '../../sfu-server/protocol/briefing';
import type { SavedMinutes } from '../services/minutes/MinutesStore';
import type { Attendance, Minutes } from '../services/minutes/model';
import type { ConclusionsReminder, RecordEntry } from '../services/records/Records';
import type { SignatureCheck } from '../services/signing/verify';
import type { BriefingReadiness, SyncResult } from '../services/BriefingSync';
import type { PublishResult } from '../services/Briefings';
import type { SearchHit } from '../services/search/LocalSearch';
import type { HeldInvite } from '../services/InviteCodes';
import type { StoreRecovery } from '../services/store/Store';
import type { DirectoryPoint } from '../services/enrolment/Directory';
import type { EnrolledPoint } from '../services/enrolment/HandedOutEnrolments';
import type { EnrolmentStatus } from '../services/enrolment/PointEnrolment';
import type { TrustedAuthority } from '../services/signing/TrustedAuthorities';
import type { CalendarStatus } from '../services/calendar/HolidayNotices';
import type { FollowUpList } from '../services/followUp/FollowUp';
import type { AssignmentView, FollowUpReminder, ReviewView } from '../services/followUp/followUpState';

export type { DirectoryPoint, EnrolledPoint, EnrolmentStatus };
export type { AssignmentView, CalendarStatus, FollowUpList, FollowUpReminder, HeldInvite, ReviewView, StoreRecovery, TrustedAuthority };
export type { Attendance, BriefingDraft, BriefingReadiness, ConclusionsReminder, DocumentRef, Minutes, PublishResult, PublishedBriefing, RecordEntry, SavedMinutes, SearchHit, SignatureCheck, SyncResult };

export { API_METHODS, ApiError, apiChannel, decodeApiError, encodeApiError } from './methods';
export type { ApiErrorCode, ApiMethod } from './methods';

export const Language = z.enum(['vi', 'en']);

export const Profile = z.object({
  serverUrl: z.string().trim().max(300),
  briefingCode: z.string().trim().max(40),
  pointName: z.string().trim().max(80),
  cameraId: z.string().max(300).nullable(),
  microphoneId: z.string().max(300).nullable(),
  language: Language,
  /** Media always through the district's TURN server (networks that block direct UDP and TCP). */
  relayOnly: z.boolean().default(false),
  /** The host unit's rule: the chair alone signs the minutes (no secretary's signature first). */
  chairSignsMinutesAlone: z.boolean().default(false),
  /** What this PC is for, chosen at first start: a commune's meeting point, or a host unit's PC
   * (which may host briefings itself); null until chosen. */
  pcRole: z.enum(['point', 'host']).nullable().default(null),
});
export type Profile = z.infer<typeof Profile>;
export type ProfileInput = z.input<typeof Profile>;

/** The briefing as its server told the signaling session (seats with their times, item times),
 * handed to the desktop to keep for the minutes. */
export const ProceedingsAccount = z.strictObject({
  briefingCode: z.string().trim().min(1).max(40),
  seats: z
    .array(
      z.object({
        seat: SeatName,
        role: Role,
        invited: z.boolean(),
        joinedAt: z.iso.datetime().nullable(),
        leftAt: z.iso.datetime().nullable(),
        absentReason: z.string().max(200).nullable(),
        attendees: z.array(Attendee).max(50),
      }),
    )
    .max(1000),
  agendaTimes: z.array(AgendaItemTime).max(500),
  /** When the chair ended the briefing (accounts kept before this was told have none). */
  endedAt: z.iso.datetime().nullable().default(null),
});
export type ProceedingsAccount = z.infer<typeof ProceedingsAccount>;


export const BriefingJoined = z.object({
  serverUrl: z.string().trim().min(1).max(300),
  briefingCode: z.string().trim().min(1).max(40),
  pointName: z.string().trim().min(1).max(80),
});
const HistoryId = z.object({ historyId: z.number().int().positive() });
export const BriefingPresence = HistoryId.extend({
  points: z.array(z.string().trim().min(1).max(80)).max(500),
});

export interface HistoryEntry {
  id: number;
  serverUrl: string;
  briefingCode: string;
  pointName: string;
  joinedAt: string;
  /** When the meeting point left; null if the app was closed or crashed during the briefing. */
  leftAt: string | null;
  durationSeconds: number;
  pointsPresent: string[];
}

export interface HostInfo {
  /** Where this PC's own app joins and publishes: plain WS over loopback. */
  serverUrl: string;
  /** Every address communes can reach this PC at (WSS), for the operator to read out. */
  addresses: string[];
  /** The CA certificate communes install once, and its fingerprint to compare. */
  caCertFile: string | null;
  caFingerprint: string | null;
}

const none = z.undefined();
const ServerUrl = z.object({ serverUrl: z.string().trim().min(1).max(300) });
const DocumentKey = z.object({ sha256: Sha256 });
/** Drafts are checked in full only when published; until then they may be incomplete. */
const BriefingKey = z.object({ briefingCode: z.string().trim().min(1).max(40) });
/** Where the chair's key is: a PKCS#12 file's bytes, or a token behind a PKCS#11 library. */
// Strict: the page names no driver library to load and no folder to write in (a compromised page
// could otherwise load any native library or write anywhere); the desktop chooses both.
export const SigningKeySpec = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('pkcs12'), dataBase64: z.string().min(1).max(1_000_000), password: z.string().max(200) }),
  z.strictObject({
    type: z.literal('pkcs11'),
    pin: z.string().min(1).max(64),
    tokenLabel: z.string().trim().max(64).optional(),
  }),
]);
const DraftInput = z.object({ draft: z.looseObject({ code: z.string() }) });

/** Input schema of every API method; the method list itself comes from here. */
export const apiInputs = {
  getProfile: none,
  storeRecovery: none,
  saveProfile: Profile,
  hostBriefing: none,
  /** The demo briefing, published on this PC's own server to be tried at once. */
  startDemo: none,
  hostingStatus: none,
  /** Why a server did not answer: its certificate, or nothing at all. */
  probeServer: ServerUrl,
  /** The invitation the operating system opened the app with (a giaoban:// link clicked in a
   * mail or a chat), once: null when there is none. */
  takeOpenedInvitation: none,
  /** Trust this server by the CA fingerprint of its invitation (the operator confirmed it). */
  pinServerCa: ServerUrl.extend({ fingerprint: z.string().trim().regex(/^([0-9A-Fa-f]{2}:?){32}$/, 'a SHA-256 fingerprint') }),
  /** The address and CA fingerprint a point's invitation carries for this server. */
  invitationServer: ServerUrl,
  stopHosting: none,
  saveOrganizerKey: ServerUrl.extend({ key: z.string().trim().min(8).max(100) }),
  organizerFor: ServerUrl,
  briefingJoined: BriefingJoined,
  listInvites: BriefingKey,
  inviteForJoining: BriefingKey,
  keepEnteredInvite: BriefingKey.extend({
    seat: z.string().trim().min(1).max(120),
    role: Role,
    code: z.string().trim().min(8).max(100),
  }),
  briefingPresence: BriefingPresence,
  briefingLeft: HistoryId,
  listBriefingHistory: none,
  importDocument: z.object({ name: z.string().trim().min(1).max(255), dataBase64: z.string().max(80 * 1024 * 1024) }),
  saveDraft: DraftInput,
  listDrafts: none,
  publishBriefing: z.object({ serverUrl: z.string().trim().min(1).max(300), draft: z.unknown() }),
  /** With a newly typed invite code, to receive its briefing ahead (kept for joining too). */
  syncBriefings: ServerUrl.extend({ inviteCode: z.string().trim().max(100).optional() }),
  briefingReadiness: none,
  listBriefings: none,
  getBriefing: z.object({ code: z.string().max(40) }),
  readDocument: DocumentKey,
  searchLocal: z.object({ query: z.string().max(200) }),
  getPageNotes: DocumentKey,
  savePageNote: DocumentKey.extend({ page: z.number().int().min(1).max(100_000), text: z.string().max(20_000) }),
  openDocumentExternally: DocumentKey,
  getMinutes: BriefingKey,
  // Checked in full by the minutes store, which owns the schema.
  saveMinutes: z.object({ minutes: z.looseObject({ briefingCode: z.string() }), baseRevision: z.number().int().min(0) }),
  listMinutesVersions: BriefingKey,
  getMinutesVersion: BriefingKey.extend({ revision: z.number().int().positive() }),
  restoreMinutesVersion: BriefingKey.extend({ revision: z.number().int().positive() }),
  getAttendance: BriefingKey,
  recordProceedings: ProceedingsAccount,
  exportRecord: z.strictObject({ briefingCode: BriefingKey.shape.briefingCode, kind: RecordKind, format: z.enum(['docx', 'pdf']) }),
  signRecord: z.strictObject({ briefingCode: BriefingKey.shape.briefingCode, kind: RecordKind, as: z.enum(['secretary', 'chair']), key: SigningKeySpec, imageBase64: z.string().max(2_000_000).nullable() }),
  distributeRecord: z.object({ serverUrl: z.string().trim().min(1).max(300), sha256: Sha256 }),
  listRecords: none,
  /** A CA certificate file (PEM or DER) the administrator imports. */
  importTrustedAuthority: z.object({ dataBase64: z.string().min(1).max(200_000) }),
  listTrustedAuthorities: none,
  removeTrustedAuthority: z.object({ sha256: z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/) }),
  conclusionsReminders: none,
  listAssignments: ServerUrl,
  followUpReminders: ServerUrl,
  reportProgress: ServerUrl.extend({
    id: z.number().int().positive(),
    note: z.string().trim().max(2000),
    percent: z.number().int().min(0).max(100),
    done: z.boolean(),
    attachment: z.object({ name: z.string().trim().min(1).max(255), dataBase64: z.string().min(1).max(70 * 1024 * 1024) }).nullable(),
  }),
  seriesReview: ServerUrl.extend({ briefingCode: BriefingKey.shape.briefingCode }),
  draftNextInSeries: BriefingKey,
  calendarStatus: none,
  /** The government's yearly notice of days off, as a JSON file. */
  importHolidayNotice: z.object({ dataBase64: z.string().min(1).max(100_000) }),
  defaultExportFolder: none,
  /** The host unit's directory of meeting points, in groups. */
  listDirectory: none,
  /** A CSV or XLSX list: a column "Tên điểm cầu", and "Nhóm" if it has one. All rows or none. */
  importDirectory: z.object({ name: z.string().max(200), dataBase64: z.string().min(1).max(7_000_000) }),
  removeFromDirectory: z.object({ names: z.array(z.string().max(80)).min(1).max(2000) }),
  /** The directory's points and whether each is enrolled with this server. */
  listEnrolled: ServerUrl,
  /** Enrols points with the server (all not enrolled yet when `points` is null). */
  enrolPoints: ServerUrl.extend({ points: z.array(z.string().trim().min(1).max(80)).min(1).max(500).nullable(), renew: z.boolean() }),
  /** The printable sheet (PDF) or the list (CSV) of the enrolment codes held for this server. */
  exportEnrolmentSheet: ServerUrl.extend({ format: z.enum(['pdf', 'csv']) }),
  /** The servers this meeting point is enrolled with. */
  pointEnrolments: none,
  /** Withdraws a point's enrolment code on the server (and everything it opened). */
  revokeEnrolment: ServerUrl.extend({ point: z.string().trim().min(1).max(80) }),
} as const satisfies Record<ApiMethod, z.ZodType>;

interface ApiOutputs {
  getProfile: Profile;
  storeRecovery: StoreRecovery | null;
  saveProfile: Profile;
  hostBriefing: HostInfo;
  startDemo: { serverUrl: string; briefingCode: string; pointName: string };
  hostingStatus: HostInfo | null;
  probeServer: { answer: 'ok' | 'certificate' | 'unreachable' };
  takeOpenedInvitation: { link: string } | null;
  pinServerCa: { hostname: string; fingerprint: string };
  invitationServer: { serverUrl: string; caFingerprint: string | null };
  stopHosting: null;
  saveOrganizerKey: { organizer: string };
  organizerFor: { organizer: string } | null;
  briefingJoined: { historyId: number };
  listInvites: HeldInvite[];
  inviteForJoining: HeldInvite | null;
  keepEnteredInvite: null;
  briefingPresence: null;
  briefingLeft: null;
  listBriefingHistory: HistoryEntry[];
  importDocument: { ref: DocumentRef; alreadyStored: boolean };
  saveDraft: null;
  listDrafts: unknown[];
  publishBriefing: PublishResult;
  syncBriefings: SyncResult;
  briefingReadiness: BriefingReadiness[];
  listBriefings: PublishedBriefing[];
  getBriefing: PublishedBriefing | null;
  readDocument: { dataBase64: string; mimeType: string };
  searchLocal: SearchHit[];
  getPageNotes: PageNote[];
  savePageNote: null;
  openDocumentExternally: null;
  getMinutes: SavedMinutes | null;
  saveMinutes: { revision: number; updatedAt: string };
  listMinutesVersions: { revision: number; savedAt: string }[];
  getMinutesVersion: Minutes | null;
  restoreMinutesVersion: { revision: number; updatedAt: string };
  getAttendance: Attendance[];
  recordProceedings: null;
  exportRecord: { file: string };
  signRecord: RecordEntry;
  distributeRecord: { recipients: string[] };
  listRecords: RecordEntry[];
  importTrustedAuthority: TrustedAuthority[];
  listTrustedAuthorities: TrustedAuthority[];
  removeTrustedAuthority: null;
  conclusionsReminders: ConclusionsReminder[];
  listAssignments: FollowUpList;
  followUpReminders: FollowUpReminder[];
  reportProgress: AssignmentView;
  seriesReview: ReviewView | null;
  draftNextInSeries: BriefingDraft;
  calendarStatus: CalendarStatus;
  importHolidayNotice: CalendarStatus;
  defaultExportFolder: { folder: string };
  listDirectory: DirectoryPoint[];
  importDirectory: { ok: true; added: number; updated: number; total: number } | { ok: false; message: string; lines: string[] };
  removeFromDirectory: null;
  listEnrolled: EnrolledPoint[];
  enrolPoints: { issued: number; already: string[] };
  exportEnrolmentSheet: { path: string | null; points: number };
  pointEnrolments: EnrolmentStatus[];
  revokeEnrolment: { revoked: boolean };
}

export interface PageNote {
  page: number;
  text: string;
  updatedAt: string;
}

export type DesktopApi = {
  [M in ApiMethod]: z.input<(typeof apiInputs)[M]> extends undefined
    ? () => Promise<ApiOutputs[M]>
    : (input: z.input<(typeof apiInputs)[M]>) => Promise<ApiOutputs[M]>;
};

