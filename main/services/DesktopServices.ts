// Everything behind the renderer's API, in plain Node: Electron's main process and the local
// host mode both create one of these and route API calls through `call`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { messageOf } from '../../lib/errors';
import { ApiError, apiInputs, type ApiMethod, type DesktopApi, type ProceedingsAccount, type SigningKeySpec } from '../api/contract';
import { BriefingHistory } from './BriefingHistory';
import { Briefings, PublishError } from './Briefings';
import { BriefingSync, InviteCodeError } from './BriefingSync';
import { DocumentError, DocumentLibrary } from './documents/DocumentLibrary';
import { DEMO_SEED_FILE, placeDemoBriefing } from './DemoBriefing';
import { EmbeddedSfu } from './EmbeddedSfu';
import { CatalogRequestError, probeServer, trustedServerCaFingerprint } from './catalog/CatalogClient';
import { ServerTrust, ServerTrustError } from './trust/ServerTrust';
import { OrganizerKeyError, OrganizerKeys } from './OrganizerKeys';
import { TrustError, TrustedAuthorities } from './signing/TrustedAuthorities';
import { InviteCodes } from './InviteCodes';
import { MeetingPoint } from './MeetingPoint';
import { PageNotes } from './PageNotes';
import { LocalSearch } from './search/LocalSearch';
import { deriveAttendance } from './minutes/attendance';
import { ProceedingsRecord, attendanceFromAccount, withItemTimes } from './minutes/Proceedings';
import { CountersignError } from './signing/countersign';
import { MinutesConflictError, MinutesStore, type SavedMinutes } from './minutes/MinutesStore';
import { RecordError, Records } from './records/Records';
import { KNOWN_PKCS11_LIBRARIES, SigningError, type SigningKey, openPkcs11, openPkcs12 } from './signing/keys';
import { Backups } from './store/Backups';
import { openOrRecover, type Store, type StoreRecovery } from './store/Store';
import { HolidayNotices } from './calendar/HolidayNotices';
import { Hosting } from './Hosting';
import { FollowUp, FollowUpError } from './followUp/FollowUp';
import { HolidayNoticeError } from './calendar/HolidayNotice';
import { invitationLinkIn } from '../api/invitation';
import { Directory } from './enrolment/Directory';
import { HandedOutEnrolments } from './enrolment/HandedOutEnrolments';
import { PointEnrolment } from './enrolment/PointEnrolment';
import { enrolmentApi } from './enrolment/enrolmentApi';

export interface DesktopServicesOptions {
  /** Folder for the meeting point's database and files. */
  dataDir: string;
  /** Ports of the embedded SFU in host mode. */
  hostPort?: number;
  hostMediaPort?: number;
  /** Opens a stored file with the system's program (DOCX, XLSX). */
  openWithSystem?: (file: string) => void;
  now?: () => Date;
  /** Place the demo briefing on first start (default true). */
  seedDemo?: boolean;
  /** Where an exported record goes: the shell asks the user (Electron's save dialog; null when
   * cancelled). Without it, exports go to `exportsDir`. The page never names a path. */
  chooseExportFile?: (suggestedName: string) => Promise<string | null>;
  /** The browser-tab mode's export folder: the user's Documents folder by default. */
  exportsDir?: string;
  /** The PKCS#11 drivers to look for a token in, chosen on this PC (tests: SoftHSM). By default
   * the administrator's (GIAOBAN_PKCS11_LIBRARY) and the usual Vietnamese CA tokens' drivers. */
  pkcs11Libraries?: string[];
}

/** The user's Documents folder (Tài liệu), as browsers and Electron name it. */
function documentsFolder(): string {
  const home = os.homedir();
  const named = ['Documents', 'Tài liệu'].map((n) => path.join(home, n)).find((d) => fs.existsSync(d));
  return path.join(named ?? path.join(home, 'Documents'), 'Giao Ban');
}

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function defaultOpenWithSystem(file: string): void {
  const command = process.platform === 'win32' ? 'explorer' : process.platform === 'darwin' ? 'open' : 'xdg-open';
  spawn(command, [file], { detached: true, stdio: 'ignore' }).on('error', () => undefined).unref();
}

/** Domain errors become API errors the renderer can word precisely. */
function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof DocumentError) {
    return new ApiError(error.code === 'not_found' ? 'not_found' : 'document_rejected', error.message, error.code);
  }
  if (error instanceof PublishError) return new ApiError('publish_failed', error.message, error.reason ?? error.code);
  if (error instanceof InviteCodeError) return new ApiError('server_refused', error.message, error.code === 'rate_limited' ? 'rate_limited' : 'invite_not_valid');
  if (error instanceof FollowUpError) return new ApiError(error.code === 'not_assignee' ? 'server_refused' : 'not_found', error.message, error.code);
  if (error instanceof ServerTrustError) return new ApiError(error.code === 'not_tls' ? 'bad_input' : 'server_refused', error.message, error.code);
  if (error instanceof HolidayNoticeError) return new ApiError('bad_input', error.message, error.code);
  if (error instanceof TrustError) return new ApiError('bad_input', error.message, error.code);
  if (error instanceof OrganizerKeyError) return new ApiError('server_refused', error.message, error.code);
  if (error instanceof CatalogRequestError) {
    if (error.code === 'plain_remote' || error.code === 'bad_address') return new ApiError('bad_input', error.message, error.code);
    if (error.code === 'certificate') return new ApiError('server_refused', error.message, 'certificate');
    return error.code === 'unreachable' ? new ApiError('server_unreachable', error.message) : new ApiError('server_refused', error.message, error.code);
  }
  if (error instanceof MinutesConflictError) return new ApiError('conflict', error.message, 'minutes_conflict');
  if (error instanceof SigningError) return new ApiError('signing_failed', error.message, error.code);
  if (error instanceof CountersignError) return new ApiError('signing_failed', error.message, error.code);
  if (error instanceof RecordError) {
    return error.code === 'not_found' || error.code === 'briefing_missing' || error.code === 'no_minutes'
      ? new ApiError('not_found', error.message, error.code)
      : new ApiError('export_failed', error.message, error.code);
  }
  if (error instanceof z.ZodError) return new ApiError('bad_input', z.prettifyError(error));
  return new ApiError('store_failed', messageOf(error));
}

/** Opens the key: a PKCS#12 file's bytes, or the token found through the drivers installed on
 * this PC (tried in turn; the page never names a library to load). */
function openSigningKey(spec: z.infer<typeof SigningKeySpec>, libraries: string[]): SigningKey {
  if (spec.type === 'pkcs12') return openPkcs12(Buffer.from(spec.dataBase64, 'base64'), spec.password);
  const installed = libraries.filter((file) => fs.existsSync(file));
  if (!installed.length) throw new SigningError('token_unavailable', 'no PKCS#11 driver of a known token is installed on this PC');
  let last: unknown;
  for (const library of installed) {
    try {
      return openPkcs11({ library, pin: spec.pin, tokenLabel: spec.tokenLabel || undefined });
    } catch (error) {
      // A driver with no token plugged in: the next driver may have it.
      if (!(error instanceof SigningError) || (error.code !== 'no_token' && error.code !== 'token_unavailable')) throw error;
      last = error;
    }
  }
  throw last instanceof SigningError ? last : new SigningError('no_token', 'no token is plugged in');
}

const backupsDirOf = (dataDir: string) => path.join(dataDir, 'backups');

export class DesktopServices {
  readonly api: DesktopApi;
  readonly sync: BriefingSync;
  private readonly seed: () => Promise<void>;
  readonly backups: Backups;
  /** Briefings this PC is in now (history ids): backups are hourly while there is one. */
  private readonly inBriefing = new Set<number>();
  private readonly backupTimer: ReturnType<typeof setInterval>;
  /** The office calendar every deadline counts on. */
  readonly holidays: HolidayNotices;
  readonly hosting: Hosting;
  /** The servers trusted by a CA pinned from an invitation (Electron's window asks it too). */
  readonly serverTrust: ServerTrust;
  /** A giaoban:// invitation the operating system opened the app with, until the page takes it. */
  private openedInvitation: string | null = null;

  private constructor(
    private readonly store: Store,
    private readonly sfu: EmbeddedSfu,
    options: DesktopServicesOptions,
    /** What was done about a damaged store at this start, for the user to be told. */
    readonly recovery: StoreRecovery | null,
  ) {
    const now = options.now ?? (() => new Date());
    this.backups = new Backups(store, backupsDirOf(options.dataDir), now);
    const backupIfDue = () =>
      this.backups.takeIfDue(this.inBriefing.size > 0).catch((error: unknown) => console.warn(`[giao-ban] backup not taken: ${messageOf(error)}`));
    this.backupTimer = setInterval(() => void backupIfDue(), 5 * 60_000);
    this.backupTimer.unref();
    this.holidays = new HolidayNotices(store, now);
    const meetingPoint = new MeetingPoint(store);
    const history = new BriefingHistory(store, now);
    const search = new LocalSearch(store);
    const library = new DocumentLibrary(store, search, path.join(options.dataDir, 'documents'), now);
    const invites = new InviteCodes(store, now);
    const organizerKeys = new OrganizerKeys(store, now);
    const briefings = new Briefings(store, library, search, invites, organizerKeys, () => this.holidays.calendar(), now);
    this.hosting = new Hosting(store, sfu, organizerKeys, briefings, now);
    this.serverTrust = new ServerTrust(store, now);
    const notes = new PageNotes(store, now);
    const openWithSystem = options.openWithSystem ?? defaultOpenWithSystem;
    const minutes = new MinutesStore(store, now);
    const trust = new TrustedAuthorities(store, now);
    // Records read the minutes as they stand now: typed text, with the server's attendance and times.
    const followUp = new FollowUp(store, invites, organizerKeys, briefings, library, () => this.holidays.calendar(), now);
    /** The review as this PC saw it during the briefing; if it never showed it, as the server tells it now. */
    const reviewForMinutes = async (code: string) => {
      const kept = await followUp.keptReview(code);
      const server = kept ? undefined : await briefings.serverOf(code);
      return kept ?? (server ? followUp.review(server, code).catch(() => null) : null);
    };
    const records = new Records(store, library, briefings, { load: (code) => currentMinutes(code), review: (code) => reviewForMinutes(code) }, () => this.holidays.calendar(), trust, now);
    const exportsDir = options.exportsDir ?? documentsFolder();
    const pkcs11Libraries = options.pkcs11Libraries ?? [...(process.env.GIAOBAN_PKCS11_LIBRARY ? [process.env.GIAOBAN_PKCS11_LIBRARY] : []), ...KNOWN_PKCS11_LIBRARIES];
    const pointEnrolment = new PointEnrolment(store, invites, now);
    this.sync = new BriefingSync(briefings, library, path.join(options.dataDir, 'downloads'), organizerKeys, records, pointEnrolment);
    /** The address and CA fingerprint points are given for a server (invitations, enrolment sheets). */
    const invitationServer = async (serverUrl: string) => {
      // A hosting PC's own app talks to its server over loopback: communes get its network address.
      const hosted = this.hosting.status();
      if (hosted && hosted.serverUrl === serverUrl) return { serverUrl: hosted.addresses[0] ?? serverUrl, caFingerprint: hosted.caFingerprint };
      return { serverUrl, caFingerprint: await trustedServerCaFingerprint(serverUrl) };
    };
    const directory = new Directory(store, now);
    const chooseExportFile = options.chooseExportFile ?? ((name: string) => Promise.resolve(path.join(exportsDir, name)));
    const proceedings = new ProceedingsRecord(store, now);
    /** Attendance for the minutes; `known` when the caller has already read them. */
    const attendance = async (briefingCode: string, known?: { saved: SavedMinutes | null; account: ProceedingsAccount | null }) => {
      const [briefing, saved, account, ownPoints] = await Promise.all([
        briefings.get(briefingCode),
        known ? known.saved : minutes.load(briefingCode),
        known ? known.account : proceedings.latest(briefingCode),
        history.ownPoints(briefingCode),
      ]);
      const noted = saved?.minutes.attendance ?? [];
      // The server's account when this PC was in the briefing; the secretary's PC sits in the chair's room.
      if (account) return attendanceFromAccount(briefing?.invitedPoints ?? [], account, { inRoom: ownPoints, typed: noted });
      // Briefings from before the server's account was kept: this PC's own presence records.
      return deriveAttendance(briefing?.invitedPoints ?? [], await history.presenceEvents(briefingCode), {
        inRoom: ownPoints,
        absenceReasons: Object.fromEntries(noted.map((a) => [a.point, a.absenceReason])),
        people: Object.fromEntries(noted.map((a) => [a.point, a.people])),
      });
    };
    /** The minutes as saved, with attendance and item times as the server told them. */
    const currentMinutes = async (briefingCode: string) => {
      const [saved, account] = await Promise.all([minutes.load(briefingCode), proceedings.latest(briefingCode)]);
      if (!saved) return null;
      const timed = account ? withItemTimes(saved.minutes, account) : saved.minutes;
      return { ...saved, minutes: { ...timed, attendance: await attendance(briefingCode, { saved, account }) } };
    };
    this.seed = () =>
      options.seedDemo === false ? Promise.resolve() : placeDemoBriefing(store, library, briefings, DEMO_SEED_FILE(projectRoot), now);
    const done = async (work: Promise<unknown>) => {
      await work;
      return null;
    };
    this.api = {
      getProfile: () => meetingPoint.profile(),
      saveProfile: (profile) => meetingPoint.save(profile),
      hostBriefing: () => this.hosting.start(),
      startDemo: () => this.hosting.demo(),
      hostingStatus: () => Promise.resolve(this.hosting.status()),
      probeServer: async ({ serverUrl }) => ({ answer: await probeServer(serverUrl) }),
      takeOpenedInvitation: () => {
        const link = this.openedInvitation;
        this.openedInvitation = null;
        return Promise.resolve(link ? { link } : null);
      },
      pinServerCa: ({ serverUrl, fingerprint }) => this.serverTrust.pin(serverUrl, fingerprint),
      invitationServer: ({ serverUrl }) => invitationServer(serverUrl),
      saveOrganizerKey: ({ serverUrl, key }) => organizerKeys.enter(serverUrl, key),
      organizerFor: ({ serverUrl }) => organizerKeys.organizerFor(serverUrl),
      stopHosting: () => done(this.hosting.stop()),
      briefingJoined: async (entry) => {
        const historyId = await history.joined(entry);
        this.inBriefing.add(historyId);
        return { historyId };
      },
      storeRecovery: () => Promise.resolve(this.recovery),
      listInvites: ({ briefingCode }) => invites.issued(briefingCode),
      inviteForJoining: ({ briefingCode }) => invites.forJoining(briefingCode),
      keepEnteredInvite: ({ briefingCode, seat, role, code }) => done(invites.keepEntered(briefingCode, seat, role, code)),
      briefingPresence: ({ historyId, points }) => done(history.present(historyId, points)),
      briefingLeft: ({ historyId }) => {
        this.inBriefing.delete(historyId);
        return done(history.left(historyId));
      },
      listBriefingHistory: () => history.list(),
      importDocument: ({ name, dataBase64 }) => library.importFile(name, Buffer.from(dataBase64, 'base64')),
      saveDraft: ({ draft }) => done(briefings.saveDraft(draft)),
      listDrafts: () => briefings.drafts(),
      publishBriefing: ({ serverUrl, draft }) => briefings.publish(serverUrl, draft),
      syncBriefings: ({ serverUrl, inviteCode }) => this.sync.sync(serverUrl, inviteCode || undefined),
      briefingReadiness: () => this.sync.readiness(),
      listBriefings: () => briefings.list(),
      getBriefing: async ({ code }) => (await briefings.get(code)) ?? null,
      readDocument: async ({ sha256 }) => ({
        dataBase64: (await library.read(sha256)).toString('base64'),
        mimeType: await library.mimeTypeOf(sha256),
      }),
      searchLocal: ({ query }) => search.search(query),
      getPageNotes: ({ sha256 }) => notes.of(sha256),
      savePageNote: ({ sha256, page, text }) => done(notes.save(sha256, page, text)),
      getMinutes: ({ briefingCode }) => currentMinutes(briefingCode),
      recordProceedings: (account) => done(proceedings.keep(account)),
      saveMinutes: ({ minutes: body, baseRevision }) => minutes.save(body, baseRevision),
      listMinutesVersions: ({ briefingCode }) => minutes.versions(briefingCode),
      getMinutesVersion: ({ briefingCode, revision }) => minutes.version(briefingCode, revision),
      restoreMinutesVersion: ({ briefingCode, revision }) => minutes.restore(briefingCode, revision),
      getAttendance: ({ briefingCode }) => attendance(briefingCode),
      exportRecord: (input) => records.export(input, chooseExportFile),
      signRecord: async ({ briefingCode, kind, as, key: spec, imageBase64 }) => {
        const { chairSignsMinutesAlone } = await meetingPoint.profile();
        const key = openSigningKey(spec, pkcs11Libraries);
        try {
          return await records.sign({ briefingCode, kind, as, key, image: imageBase64 ? Buffer.from(imageBase64, 'base64') : null, chairSignsAlone: chairSignsMinutesAlone });
        } finally {
          key.close();
        }
      },
      distributeRecord: ({ serverUrl, sha256 }) => records.distribute(serverUrl, sha256),
      listRecords: () => records.list(),
      importTrustedAuthority: async ({ dataBase64 }) => trust.import(Buffer.from(dataBase64, 'base64')),
      listTrustedAuthorities: () => trust.list(),
      removeTrustedAuthority: ({ sha256 }) => done(trust.remove(sha256)),
      conclusionsReminders: () => records.reminders(),
      listAssignments: ({ serverUrl }) => followUp.list(serverUrl),
      followUpReminders: ({ serverUrl }) => followUp.reminders(serverUrl),
      reportProgress: ({ serverUrl, id, note, percent, done, attachment }) =>
        followUp.report(serverUrl, id, { note, percent, done }, attachment ? { name: attachment.name, bytes: Buffer.from(attachment.dataBase64, 'base64') } : null),
      seriesReview: ({ serverUrl, briefingCode }) => followUp.review(serverUrl, briefingCode),
      draftNextInSeries: ({ briefingCode }) => briefings.draftNext(briefingCode),
      calendarStatus: () => Promise.resolve(this.holidays.status()),
      importHolidayNotice: async ({ dataBase64 }) => {
        await this.holidays.import(Buffer.from(dataBase64, 'base64'));
        return this.holidays.status();
      },
      ...enrolmentApi({ directory, handedOut: new HandedOutEnrolments(store, directory, organizerKeys, invitationServer, now), pointEnrolment, chooseExportFile }),
      defaultExportFolder: async () => {
        await fs.promises.mkdir(exportsDir, { recursive: true });
        return { folder: exportsDir };
      },
      openDocumentExternally: async ({ sha256 }) => {
        openWithSystem(await library.openableCopy(sha256, path.join(options.dataDir, 'opened')));
        return null;
      },
    };
  }

  static async open(options: DesktopServicesOptions): Promise<DesktopServices> {
    const { store, recovery } = await openOrRecover(path.join(options.dataDir, 'giao-ban.sqlite3'), backupsDirOf(options.dataDir), options.now ?? (() => new Date()));
    if (recovery) console.warn(`[giao-ban] the local store was damaged (${recovery.problem}); moved to ${recovery.damagedFile}; restored from ${recovery.restoredFrom ?? 'nothing (empty store)'}`);
    const sfu = new EmbeddedSfu({ dataDir: path.join(options.dataDir, 'host'), port: options.hostPort, mediaPort: options.hostMediaPort }, options.now ?? (() => new Date()));
    const services = new DesktopServices(store, sfu, options, recovery);
    await services.holidays.load();
    await services.serverTrust.load();
    // A hosting PC hosts again after a restart; a failure is said when the operator asks to host.
    await services.hosting.resume().catch((error: unknown) => console.warn(`[giao-ban] hosting not resumed: ${messageOf(error)}`));
    // The day's backup first, so a store damaged later today has one to come back to.
    await services.backups.takeIfDue(false).catch((error: unknown) => console.warn(`[giao-ban] backup not taken: ${messageOf(error)}`));
    try {
      await services.seed();
    } catch (error) {
      // The demo is a courtesy: a missing font must not keep the app from starting.
      console.warn(`[giao-ban] demo briefing not placed: ${(error as Error).message}`);
    }
    return services;
  }

  /** The shell's command line, or the one a second start of the app passed on (Windows and Linux
   * start the app with the clicked link as an argument): keeps the invitation in it for the page.
   * Anything else on the command line is ignored; a broken link is not kept. */
  openedWith(args: readonly string[]): boolean {
    const link = invitationLinkIn(args);
    if (link) this.openedInvitation = link;
    return link !== null;
  }

  /** The one entry point for calls from outside the process: validates, then dispatches. */
  async call(method: string, input: unknown): Promise<unknown> {
    if (!Object.hasOwn(apiInputs, method)) throw new ApiError('unknown_method', `unknown API method "${method}"`);
    const parsed = apiInputs[method as ApiMethod].safeParse(input ?? undefined);
    if (!parsed.success) throw new ApiError('bad_input', `${method}: ${z.prettifyError(parsed.error)}`);
    const fn = this.api[method as ApiMethod] as (input: unknown) => Promise<unknown>;
    try {
      return await fn(parsed.data);
    } catch (error) {
      throw toApiError(error);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.backupTimer);
    await this.sync.settled();
    await this.sfu.stop();
    await this.store.close();
  }
}
