// Briefings on this PC: drafts being prepared, and local copies of published versions that
// open with the server unreachable. Publishing sends the documents, then the briefing.
import {
  BriefingDraft,
  type DocumentRef,
  type IssuedInvite,
  PublishAnswer,
  PublishedBriefing,
  briefingDocuments,
  invitedSeats,
} from '../../sfu-server/protocol/briefing';
import type { DocumentLibrary } from './documents/DocumentLibrary';
import type { InviteCodes } from './InviteCodes';
import type { LocalSearch } from './search/LocalSearch';
import type { Store } from './store/Store';
import { REGULAR_BRIEFING_NOTICE_DAYS, workingDaysBetween } from './workingDays';

export class PublishError extends Error {
  constructor(
    readonly code: 'unreachable' | 'refused' | 'document_missing',
    message: string,
  ) {
    super(message);
  }
}

export interface PublishResult {
  briefing: PublishedBriefing;
  /** Invite codes issued with this version (for seats new to it); all are kept on this PC. */
  issued: IssuedInvite[];
  /** Set when documents of a regular briefing go out later than the regime asks. */
  lateWarning: { workingDaysAhead: number; required: number } | null;
}

/** ws://host:port (what operators enter) → http://host:port (where the catalog is). */
export function catalogBase(serverUrl: string): string {
  const url = new URL(serverUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  return url.origin;
}

/** POSTs JSON to the catalog, with the briefing's chair or secretary code when this PC holds
 * one; an unreachable server and a refusal are told apart. */
export async function postToCatalog(url: string, body: unknown, code?: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(code ? { authorization: `Bearer ${code}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new PublishError('unreachable', (error as Error).message);
  }
  const answer = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
  if (!response.ok) throw new PublishError('refused', answer.error?.message ?? `server answered ${response.status}`);
  return answer;
}

export class Briefings {
  constructor(
    private readonly store: Store,
    private readonly library: DocumentLibrary,
    private readonly search: LocalSearch,
    readonly invites: InviteCodes,
    private readonly holidays: () => ReadonlySet<string>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async saveDraft(draft: unknown): Promise<void> {
    // Drafts may be incomplete; only their code must be valid to key them.
    const code = BriefingDraft.shape.code.parse((draft as { code?: unknown }).code);
    await this.store.run(
      `INSERT INTO briefing_draft (code, body, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (code) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
      [code, JSON.stringify(draft), this.now().toISOString()],
    );
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

  async serverOf(code: string): Promise<string | undefined> {
    return (await this.store.get<{ server_url: string }>('SELECT server_url FROM briefing WHERE code = ?', [code]))?.server_url;
  }

  lateWarning(draft: BriefingDraft): PublishResult['lateWarning'] {
    if (!draft.regular) return null;
    const ahead = workingDaysBetween(this.now(), new Date(draft.startsAt), this.holidays());
    return ahead < REGULAR_BRIEFING_NOTICE_DAYS ? { workingDaysAhead: ahead, required: REGULAR_BRIEFING_NOTICE_DAYS } : null;
  }

  /** Sends every document the server lacks, then the briefing. Warns, never blocks, when late. */
  async publish(serverUrl: string, input: unknown): Promise<PublishResult> {
    const draft = BriefingDraft.parse(input);
    const base = catalogBase(serverUrl);
    for (const doc of briefingDocuments(draft)) await this.upload(base, doc);
    const answer = PublishAnswer.parse(await postToCatalog(`${base}/catalog/briefings`, draft, await this.invites.authority(draft.code)));
    const { credentials, ...published } = answer;
    const briefing = PublishedBriefing.parse(published);
    await this.invites.keepIssued(briefing.code, credentials, invitedSeats(briefing).map((s) => s.name));
    await this.keep(serverUrl, briefing);
    return { briefing, issued: credentials, lateWarning: this.lateWarning(draft) };
  }

  /** Sends a document the server lacks (used for briefings and for signed records). */
  async upload(base: string, doc: DocumentRef): Promise<void> {
    const url = `${base}/catalog/documents/${doc.sha256}`;
    try {
      if ((await fetch(url, { method: 'HEAD' })).ok) return;
      if (!(await this.library.has(doc.sha256))) throw new PublishError('document_missing', `${doc.name} is not on this PC`);
      const response = await fetch(url, {
        method: 'PUT',
        headers: { 'content-type': doc.mimeType, 'x-document-name': encodeURIComponent(doc.name) },
        body: new Uint8Array(await this.library.read(doc.sha256)),
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { error?: { message: string } };
        throw new PublishError('refused', `${doc.name}: ${body.error?.message ?? response.status}`);
      }
    } catch (error) {
      if (error instanceof PublishError) throw error;
      throw new PublishError('unreachable', (error as Error).message);
    }
  }
}
