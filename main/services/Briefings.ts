// Briefings on this PC: drafts being prepared, and local copies of published versions that
// open with the server unreachable. Publishing sends the documents, then the briefing.
import { nextInSeries, withReviewItem } from './followUp/series';
import type { WorkingCalendar } from './calendar/OfficeCalendar';
import {
  BriefingDraft,
  type DocumentRef,
  type IssuedInvite,
  PublishAnswer,
  PublishedBriefing,
  briefingDocuments,
  invitedSeats,
} from '../../sfu-server/protocol/briefing';
import { CatalogRequestError, callCatalog, catalogFetch } from './catalog/CatalogClient';
import type { DocumentLibrary } from './documents/DocumentLibrary';
import type { InviteCodes } from './InviteCodes';
import type { OrganizerKeys } from './OrganizerKeys';
import type { LocalSearch } from './search/LocalSearch';
import type { Store } from './store/Store';
import { REGULAR_BRIEFING_NOTICE_DAYS, workingDaysBetween } from './calendar/workingDays';

/** The key of the draft whose code is not valid yet (a key no valid code can be: it has a space). */
const UNNAMED_DRAFT = 'ban nhap';

export class PublishError extends Error {
  constructor(
    /** organizer_key_needed: this PC holds no organizer key (nor the chair's code) for the server. */
    readonly code: 'unreachable' | 'refused' | 'document_missing' | 'organizer_key_needed' | 'not_in_series',
    message: string,
    /** The server's reason for a refusal (unauthorized, forbidden, too_large…). */
    readonly reason?: string,
  ) {
    super(message);
  }
}

function asPublishError(error: unknown, what = ''): unknown {
  if (!(error instanceof CatalogRequestError)) return error;
  const message = what ? `${what}: ${error.message}` : error.message;
  return error.code === 'unreachable' ? new PublishError('unreachable', message) : new PublishError('refused', message, error.code);
}

export interface PublishResult {
  briefing: PublishedBriefing;
  /** Invite codes issued with this version (for seats new to it); all are kept on this PC. */
  issued: IssuedInvite[];
  /** Set when documents of a regular briefing go out later than the regime asks. */
  lateWarning: { workingDaysAhead: number; required: number } | null;
}

export class Briefings {
  constructor(
    private readonly store: Store,
    private readonly library: DocumentLibrary,
    private readonly search: LocalSearch,
    readonly invites: InviteCodes,
    private readonly organizerKeys: OrganizerKeys,
    private readonly calendar: () => WorkingCalendar,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Drafts may be incomplete: one whose code is not valid yet is kept under a placeholder key
   * (nothing typed is lost), and that copy goes once the draft has a code. */
  async saveDraft(draft: unknown): Promise<void> {
    const code = BriefingDraft.shape.code.safeParse((draft as { code?: unknown }).code);
    const key = code.success ? code.data : UNNAMED_DRAFT;
    await this.store.run(
      `INSERT INTO briefing_draft (code, body, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (code) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
      [key, JSON.stringify(draft), this.now().toISOString()],
    );
    if (code.success) await this.store.run('DELETE FROM briefing_draft WHERE code = ?', [UNNAMED_DRAFT]);
  }

  async drafts(): Promise<unknown[]> {
    const rows = await this.store.all<{ body: string }>('SELECT body FROM briefing_draft ORDER BY updated_at DESC');
    return rows.map((r) => JSON.parse(r.body) as unknown);
  }

  /** Keeps a published version; returns the version that was here before, if any. */
  async keep(serverUrl: string, briefing: PublishedBriefing): Promise<number | null> {
    const before = await this.store.get<{ version: number }>('SELECT version FROM briefing WHERE code = ?', [briefing.code]);
    if (before && before.version >= briefing.version) return before.version;
    await this.store.run(
      `INSERT INTO briefing (code, server_url, version, body, synced_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (code) DO UPDATE SET server_url = excluded.server_url, version = excluded.version,
         body = excluded.body, synced_at = excluded.synced_at`,
      [briefing.code, serverUrl, briefing.version, JSON.stringify(briefing), this.now().toISOString()],
    );
    await this.search.remove(briefing.code);
    await this.search.index('briefing', briefing.code, briefing.title, [briefing.hostUnit, briefing.chair, briefing.place].join(' · '));
    for (const [i, item] of briefing.agenda.entries()) {
      await this.search.index('agenda', `${briefing.code}#${i + 1}`, item.title, `${item.presenter} · ${briefing.title}`);
    }
    return before?.version ?? null;
  }

  async list(): Promise<PublishedBriefing[]> {
    const rows = await this.store.all<{ body: string }>('SELECT body FROM briefing');
    return rows.map((r) => PublishedBriefing.parse(JSON.parse(r.body))).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  }

  async get(code: string): Promise<PublishedBriefing | undefined> {
    const row = await this.store.get<{ body: string }>('SELECT body FROM briefing WHERE code = ?', [code]);
    return row ? PublishedBriefing.parse(JSON.parse(row.body)) : undefined;
  }

  /** Drafts the next briefing of the series of a briefing published here, and keeps the draft. */
  async draftNext(code: string): Promise<BriefingDraft> {
    const last = await this.get(code);
    if (!last?.series) throw new PublishError('not_in_series', 'this briefing belongs to no series');
    const taken = new Set([...(await this.list()).map((b) => b.code), ...(await this.store.all<{ code: string }>('SELECT code FROM briefing_draft')).map((r) => r.code)]);
    const draft = nextInSeries(last, taken);
    await this.saveDraft(draft);
    return draft;
  }

  async serverOf(code: string): Promise<string | undefined> {
    return (await this.store.get<{ server_url: string }>('SELECT server_url FROM briefing WHERE code = ?', [code]))?.server_url;
  }

  lateWarning(draft: BriefingDraft): PublishResult['lateWarning'] {
    if (!draft.regular) return null;
    const ahead = workingDaysBetween(this.now(), new Date(draft.startsAt), this.calendar());
    return ahead < REGULAR_BRIEFING_NOTICE_DAYS ? { workingDaysAhead: ahead, required: REGULAR_BRIEFING_NOTICE_DAYS } : null;
  }

  /** Sends every document the server lacks, then the briefing, with the host unit's organizer
   * key (or, for a new version, the chair's code). Warns, never blocks, when late. */
  async publish(serverUrl: string, input: unknown): Promise<PublishResult> {
    const draft = withReviewItem(BriefingDraft.parse(input), await this.list());
    const token = (await this.organizerKeys.keyFor(serverUrl)) ?? (await this.invites.chairCode(draft.code));
    if (!token) throw new PublishError('organizer_key_needed', "publishing on this server needs the host unit's organizer key");
    for (const doc of briefingDocuments(draft)) await this.upload(serverUrl, doc, token);
    const answer = PublishAnswer.parse(
      await callCatalog(serverUrl, 'publishBriefing', { params: {}, token, body: draft }).catch((error: unknown) => {
        throw asPublishError(error);
      }),
    );
    const { credentials, ...published } = answer;
    const briefing = PublishedBriefing.parse(published);
    await this.invites.keepIssued(briefing.code, credentials, invitedSeats(briefing).map((s) => s.name));
    await this.keep(serverUrl, briefing);
    return { briefing, issued: credentials, lateWarning: this.lateWarning(draft) };
  }

  /** Sends a document the server lacks (used for briefings and for signed records); `token` is
   * an organizer key or the briefing's chair or secretary code. */
  async upload(serverUrl: string, doc: DocumentRef, token: string): Promise<void> {
    const params = { sha256: doc.sha256 };
    try {
      const stored = await catalogFetch(serverUrl, 'documentStored', { params, token }).then(
        () => true,
        (error: unknown) => {
          if (error instanceof CatalogRequestError && error.status === 404) return false;
          throw error;
        },
      );
      if (stored) return;
      if (!(await this.library.has(doc.sha256))) throw new PublishError('document_missing', `${doc.name} is not on this PC`);
      await catalogFetch(serverUrl, 'uploadDocument', {
        params,
        token,
        headers: { 'content-type': doc.mimeType, 'x-document-name': encodeURIComponent(doc.name) },
        rawBody: new Uint8Array(await this.library.read(doc.sha256)),
        timeoutMs: 120_000,
      });
    } catch (error) {
      throw asPublishError(error, doc.name);
    }
  }
}
