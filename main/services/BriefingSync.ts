// Receives briefings ahead: asks the server, with every invite code this PC holds (and the host
// unit's organizer key), which briefings are upcoming for it, keeps each briefing locally, and
// downloads every document in the background with progress per briefing.
import fs from 'node:fs';
import path from 'node:path';
import { type BriefingChange, type PublishedBriefing, briefingDocuments } from '../../sfu-server/protocol/briefing';
import type { Briefings } from './Briefings';
import { CatalogRequestError, callCatalog } from './catalog/CatalogClient';
import { type DocumentLibrary, DocumentError } from './documents/DocumentLibrary';
import { DownloadError, downloadDocument } from './documents/download';
import type { OrganizerKeys } from './OrganizerKeys';
import type { Records } from './records/Records';
import { type PointEnrolment, isEnrolmentCode } from './enrolment/PointEnrolment';

/** The invite code the operator typed to receive ahead was refused by the server. */
export class InviteCodeError extends Error {
  constructor(
    readonly code: 'not_valid' | 'rate_limited',
    message: string,
  ) {
    super(message);
  }
}

export interface BriefingReadiness {
  code: string;
  title: string;
  startsAt: string;
  version: number;
  documentsTotal: number;
  documentsStored: number;
  bytesTotal: number;
  bytesStored: number;
  /** All documents are on this PC: the briefing can run with the server unreachable. */
  ready: boolean;
  syncing: boolean;
  error: { code: string; message: string } | null;
}

export interface SyncResult {
  reachable: boolean;
  /** The seat a newly typed invite code opened. */
  invited: { briefingCode: string; seat: string } | null;
  /** What a newly typed enrolment code enrolled this PC as, and for how many briefings so far. */
  enrolled?: { point: string; organizer: string; briefings: number };
  updated: { code: string; version: number; changes: BriefingChange[] }[];
}

export class BriefingSync {
  private readonly inFlight = new Map<string, number>();
  /** The last failure of each document not yet stored, by SHA-256. */
  private readonly errors = new Map<string, { code: string; message: string }>();
  private running: Promise<void> | null = null;

  constructor(
    private readonly briefings: Briefings,
    private readonly library: DocumentLibrary,
    private readonly partsDir: string,
    private readonly organizerKeys: OrganizerKeys,
    private readonly records?: Records,
    private readonly enrolment?: PointEnrolment,
  ) {
    fs.mkdirSync(partsDir, { recursive: true });
  }

  /** Fetches the list now; documents keep downloading in the background (see `readiness`). A
   * newly typed invite code is checked with the server and, if valid, kept for joining too. */
  async sync(serverUrl: string, typedCode?: string): Promise<SyncResult> {
    const invites = this.briefings.invites;
    // An enrolment code typed where invite codes go enrols this PC; the invite codes it opens
    // are kept as entered ones. Each sync asks again, so a new briefing arrives by itself.
    let enrolled: SyncResult['enrolled'];
    const newInviteCode = typedCode && isEnrolmentCode(typedCode) ? undefined : typedCode;
    try {
      if (typedCode && !newInviteCode && this.enrolment) {
        const answer = await this.enrolment.enrol(serverUrl, typedCode);
        enrolled = { point: answer.point, organizer: answer.organizer, briefings: answer.invites.length };
      } else await this.enrolment?.refresh(serverUrl);
    } catch (error) {
      if (error instanceof CatalogRequestError && (error.code === 'plain_remote' || error.code === 'bad_address' || error.code === 'certificate')) throw error;
      if (!(error instanceof CatalogRequestError) || error.code === 'unreachable') return { reachable: false, invited: null, updated: [] };
      if (typedCode && !newInviteCode) throw new InviteCodeError(error.code === 'rate_limited' ? 'rate_limited' : 'not_valid', error.message);
    }
    const held = await invites.forSync();
    const organizerKey = await this.organizerKeys.keyFor(serverUrl);
    const tokens = [...new Set([...(newInviteCode ? [newInviteCode] : []), ...(organizerKey ? [organizerKey] : []), ...held])];
    const listed = new Map<string, PublishedBriefing>();
    /** Which code opens each briefing's documents, and the seats whose records to fetch. */
    const tokenFor = new Map<string, string>();
    const seatTokens: string[] = [];
    let invited: SyncResult['invited'] = null;
    for (const token of tokens) {
      try {
        const { caller, briefings } = await callCatalog(serverUrl, 'listBriefings', { params: {}, token, timeoutMs: 10_000 });
        if (caller.kind === 'seat') {
          seatTokens.push(token);
          if (token === newInviteCode) {
            await invites.keepEntered(caller.briefingCode, caller.seat, caller.role, token);
            invited = { briefingCode: caller.briefingCode, seat: caller.seat };
          }
        }
        for (const briefing of briefings) {
          listed.set(briefing.code, briefing);
          if (!tokenFor.has(briefing.code) || caller.kind === 'seat') tokenFor.set(briefing.code, token);
        }
      } catch (error) {
        // An address the app will not use is the operator's to correct, not a server that is down.
        // So is a certificate this PC does not trust: told as one, not as a wrong code or no server.
        if (error instanceof CatalogRequestError && (error.code === 'plain_remote' || error.code === 'bad_address' || error.code === 'certificate')) throw error;
        if (!(error instanceof CatalogRequestError) || error.code === 'unreachable') return { reachable: false, invited: null, updated: [] };
        if (token === newInviteCode) {
          if (error.code === 'rate_limited') throw new InviteCodeError('rate_limited', error.message);
          throw new InviteCodeError('not_valid', error.message);
        }
        // Withdrawn (a new version no longer invites this point): not asked with again. A code
        // of another server is refused as unknown and kept; the others still count.
        if (error.code === 'withdrawn') await invites.forgetEntered(token);
      }
    }
    const updated: SyncResult['updated'] = [];
    for (const briefing of listed.values()) {
      const before = await this.briefings.keep(serverUrl, briefing);
      if (before !== null && before < briefing.version) {
        updated.push({ code: briefing.code, version: briefing.version, changes: briefing.changes });
      }
    }
    this.running ??= this.downloadAll(serverUrl, [...listed.values()], tokenFor)
      .then(() => this.records?.receive(serverUrl, seatTokens, this.partsDir))
      .then(() => undefined)
      // A record that failed to arrive is fetched again at the next sync.
      .catch(() => undefined)
      .finally(() => (this.running = null));
    return { reachable: true, invited, enrolled, updated };
  }

  /** Resolves when the current background download round is over (tests, shutdown). */
  async settled(): Promise<void> {
    await this.running;
  }

  async readiness(): Promise<BriefingReadiness[]> {
    const result: BriefingReadiness[] = [];
    for (const briefing of await this.briefings.list()) {
      const docs = briefingDocuments(briefing);
      let documentsStored = 0;
      let bytesStored = 0;
      for (const doc of docs) {
        if (await this.library.has(doc.sha256)) {
          documentsStored++;
          bytesStored += doc.size;
        } else bytesStored += this.inFlight.get(doc.sha256) ?? 0;
      }
      const failed = docs.find((d) => this.errors.has(d.sha256) && !this.inFlight.has(d.sha256));
      result.push({
        code: briefing.code,
        title: briefing.title,
        startsAt: briefing.startsAt,
        version: briefing.version,
        documentsTotal: docs.length,
        documentsStored,
        bytesTotal: docs.reduce((sum, d) => sum + d.size, 0),
        bytesStored,
        ready: documentsStored === docs.length,
        // Still waiting for a download round that is under way (or about to reach this briefing).
        syncing: documentsStored < docs.length && this.running !== null,
        error: documentsStored === docs.length ? null : ((failed && this.errors.get(failed.sha256)) ?? null),
      });
    }
    return result;
  }

  private async downloadAll(serverUrl: string, briefings: PublishedBriefing[], tokenFor: Map<string, string>): Promise<void> {
    // A document that failed is tried again at the next sync, not again in this round.
    const failed = new Set<string>();
    for (const briefing of briefings) {
      for (const doc of briefingDocuments(briefing)) {
        if (failed.has(doc.sha256) || (await this.library.has(doc.sha256))) continue;
        this.errors.delete(doc.sha256);
        const part = path.join(this.partsDir, `${doc.sha256}.part`);
        this.inFlight.set(doc.sha256, 0);
        try {
          await downloadDocument({ serverUrl, token: tokenFor.get(briefing.code) ?? '' }, doc, part, (bytes) => this.inFlight.set(doc.sha256, bytes));
          await this.library.acceptDownloaded(doc, part);
          fs.rmSync(part, { force: true });
        } catch (error) {
          const code = error instanceof DownloadError || error instanceof DocumentError ? error.code : 'io';
          this.errors.set(doc.sha256, { code, message: (error as Error).message });
          failed.add(doc.sha256);
          if (code === 'unreachable' || code === 'disk_full') return;
        } finally {
          this.inFlight.delete(doc.sha256);
        }
      }
    }
  }
}
