// Receives briefings ahead: lists what is upcoming for this meeting point, keeps each briefing
// locally, and downloads every document in the background with progress per briefing.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type BriefingChange, PublishedBriefing, briefingDocuments } from '../../sfu-server/protocol/briefing';
import { type Briefings, catalogBase } from './Briefings';
import { type DocumentLibrary, DocumentError } from './documents/DocumentLibrary';
import { DownloadError, downloadDocument } from './documents/download';
import type { Records } from './records/Records';

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
    private readonly records?: Records,
  ) {
    fs.mkdirSync(partsDir, { recursive: true });
  }

  /** Fetches the list now; documents keep downloading in the background (see `readiness`). */
  async sync(serverUrl: string, pointName: string): Promise<SyncResult> {
    const base = catalogBase(serverUrl);
    let listed: PublishedBriefing[];
    try {
      const response = await fetch(`${base}/catalog/briefings?point=${encodeURIComponent(pointName)}`, {
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw new Error(`server answered ${response.status}`);
      listed = z.array(PublishedBriefing).parse(await response.json());
    } catch {
      return { reachable: false, updated: [] };
    }
    const updated: SyncResult['updated'] = [];
    for (const briefing of listed) {
      const before = await this.briefings.keep(serverUrl, briefing);
      if (before !== null && before < briefing.version) {
        updated.push({ code: briefing.code, version: briefing.version, changes: briefing.changes });
      }
    }
    this.running ??= this.downloadAll(base, listed)
      .then(() => this.records?.receive(serverUrl, pointName, this.partsDir))
      .then(() => undefined)
      // A record that failed to arrive is fetched again at the next sync.
      .catch(() => undefined)
      .finally(() => (this.running = null));
    return { reachable: true, updated };
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

  private async downloadAll(base: string, briefings: PublishedBriefing[]): Promise<void> {
    // A document that failed is tried again at the next sync, not again in this round.
    const failed = new Set<string>();
    for (const briefing of briefings) {
      for (const doc of briefingDocuments(briefing)) {
        if (failed.has(doc.sha256) || (await this.library.has(doc.sha256))) continue;
        this.errors.delete(doc.sha256);
        const part = path.join(this.partsDir, `${doc.sha256}.part`);
        this.inFlight.set(doc.sha256, 0);
        try {
          await downloadDocument(base, doc, part, (bytes) => this.inFlight.set(doc.sha256, bytes));
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
