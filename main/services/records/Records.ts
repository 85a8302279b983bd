// The records of a briefing: the minutes and the conclusions notice, exported for the records
// office, signed by the chair, issued to every meeting point that attended, and kept on each PC
// (searchable like documents) with their signature checked.
import type { ReviewView } from '../followUp/followUpState';
import type { WorkingCalendar } from '../calendar/OfficeCalendar';
import fs from 'node:fs';
import path from 'node:path';
import type { DocumentRef, RecordKind } from '../../../sfu-server/protocol/briefing';
import { type Briefings, PublishError } from '../Briefings';
import { CatalogRequestError, callCatalog } from '../catalog/CatalogClient';
import type { DocumentLibrary } from '../documents/DocumentLibrary';
import { downloadDocument } from '../documents/download';
import type { MinutesStore } from '../minutes/MinutesStore';
import { countersignRecordPdf } from '../signing/countersign';
import { type SignerRole, signRecordPdf } from '../signing/pades';
import { requestTimeStamp } from '../signing/timeStamp';
import type { TrustedAuthorities } from '../signing/TrustedAuthorities';
import { type SignatureCheck, overallCheck, verifySignatures } from '../signing/verify';
import type { SigningKey } from '../signing/keys';
import type { Store } from '../store/Store';
import { addWorkingDays, vietnamDay } from '../calendar/workingDays';
import { type RecordDocument, conclusionsDocument, minutesDocument } from './recordDocument';
import { renderRecordDocx } from './recordDocx';
import { renderRecordPdf } from './recordPdf';

/** Decree 30's regime: the conclusions notice is issued within 5 working days of the briefing. */
export const CONCLUSIONS_DUE_WORKING_DAYS = 5;

export class RecordError extends Error {
  constructor(
    readonly code:
      | 'briefing_missing'
      | 'no_minutes'
      | 'read_only'
      | 'no_folder'
      | 'disk_full'
      | 'write_failed'
      | 'no_attendees'
      | 'not_found'
      | 'no_authority'
      | 'cancelled'
      | 'secretary_first'
      | 'chair_signs_notice'
      | 'not_countersigned',
    message: string,
  ) {
    super(message);
  }
}

export interface RecordEntry {
  sha256: string;
  briefingCode: string;
  kind: RecordKind;
  name: string;
  origin: 'signed_here' | 'received';
  storedAt: string;
  distributedAt: string | null;
  /** The check of the record as a whole: its first broken signature, else the last made. */
  signature: SignatureCheck;
  /** Each signature, in the order made (the secretary's, then the chair's). */
  signatures: SignatureCheck[];
  /** Every signature intact and the chair's among them: the record may be issued. */
  complete: boolean;
  /** Minutes the secretary signed that wait for the chair's countersignature. */
  awaitingChair: boolean;
}

export interface ConclusionsReminder {
  briefingCode: string;
  title: string;
  briefingDay: string;
  dueDay: string;
  overdue: boolean;
}

interface RecordRow {
  sha256: string;
  briefing_code: string;
  kind: RecordKind;
  name: string;
  origin: 'signed_here' | 'received';
  stored_at: string;
  distributed_at: string | null;
}

export class Records {
  constructor(
    private readonly store: Store,
    private readonly library: DocumentLibrary,
    private readonly briefings: Briefings,
    /** The minutes as they stand, and the series review the briefing saw (for its review item). */
    private readonly minutes: Pick<MinutesStore, 'load'> & { review: (briefingCode: string) => Promise<ReviewView | null> },
    private readonly calendar: () => WorkingCalendar,
    private readonly trust: TrustedAuthorities,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async document(briefingCode: string, kind: RecordKind): Promise<RecordDocument> {
    const briefing = await this.briefings.get(briefingCode);
    if (!briefing) throw new RecordError('briefing_missing', `briefing ${briefingCode} is not on this PC`);
    const saved = await this.minutes.load(briefingCode);
    if (!saved) throw new RecordError('no_minutes', `no minutes were written for ${briefingCode}`);
    return kind === 'minutes' ? minutesDocument(briefing, saved.minutes, await this.minutes.review(briefingCode)) : conclusionsDocument(briefing, saved.minutes, this.now());
  }

  /** Writes the DOCX or PDF into a folder the secretary chose; never a half-written file. */
  /** Writes the record where `choose` says (the save dialog, or the Documents folder); the
   * folder is made if missing. */
  async export(input: { briefingCode: string; kind: RecordKind; format: 'docx' | 'pdf' }, choose: (name: string) => Promise<string | null>): Promise<{ file: string }> {
    const record = await this.document(input.briefingCode, input.kind);
    const bytes = input.format === 'docx' ? await renderRecordDocx(record) : await renderRecordPdf(record);
    const file = await choose(`${record.fileStem}.${input.format}`);
    if (!file) throw new RecordError('cancelled', 'the export was cancelled');
    const folder = path.dirname(file);
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      await fs.promises.mkdir(folder, { recursive: true });
      await fs.promises.writeFile(temporary, bytes);
      await fs.promises.rename(temporary, file);
    } catch (error) {
      await fs.promises.rm(temporary, { force: true }).catch(() => undefined);
      throw writeError(error, folder);
    }
    return { file };
  }

  /** Signs a record here and keeps it. Minutes: the secretary signs first and the chair
   * countersigns her file; the chair alone only where `chairSignsAlone` (the host unit's rule).
   * The conclusions notice: the chair. Each file is checked before it is kept. */
  async sign(input: { briefingCode: string; kind: RecordKind; as: SignerRole; key: SigningKey; image: Buffer | null; chairSignsAlone: boolean }): Promise<RecordEntry> {
    if (input.kind === 'conclusions' && input.as !== 'chair') throw new RecordError('chair_signs_notice', 'the conclusions notice is signed by the chair');
    const record = await this.document(input.briefingCode, input.kind);
    // Stamped by the briefing's server when it can be reached (B-T); offline the signature is B-B.
    const serverUrl = await this.briefings.serverOf(input.briefingCode);
    const authority = await this.briefings.invites.authority(input.briefingCode);
    const stamp = serverUrl && authority ? (value: Buffer) => requestTimeStamp(serverUrl, authority, value) : undefined;
    const options = { at: this.now(), image: input.image, stamp };
    const awaiting = input.kind === 'minutes' && input.as === 'chair' ? await this.awaitingChair(input.briefingCode) : null;
    if (input.kind === 'minutes' && input.as === 'chair' && !awaiting && !input.chairSignsAlone) {
      throw new RecordError('secretary_first', 'the secretary signs the minutes first; the chair then countersigns');
    }
    const signed = awaiting
      ? await countersignRecordPdf(await this.library.read(awaiting.sha256), input.key, options)
      : await signRecordPdf(record, input.key, { ...options, as: input.as });
    const checks = await verifySignatures(signed, await this.trust.certificates());
    const broken = checks.find((c) => !c.intact);
    if (broken || !checks.length) throw new Error(`the signed file did not verify (${broken?.problem ?? 'not_signed'}); nothing was kept`);
    const { ref } = await this.library.importFile(`${record.fileStem}-da-ky.pdf`, signed);
    await this.store.transaction(async (tx) => {
      await this.keep(ref, input.briefingCode, input.kind, 'signed_here', tx);
      // The secretary's file lives on inside the countersigned one; listing both would invite issuing the wrong one.
      if (awaiting) await tx.run('DELETE FROM record WHERE sha256 = ?', [awaiting.sha256]);
    });
    const row = await this.store.get<RecordRow>('SELECT * FROM record WHERE sha256 = ?', [ref.sha256]);
    if (!row) throw new RecordError('not_found', 'the signed record was not kept');
    return this.entry(row, checks);
  }

  /** The newest minutes of this briefing signed here by the secretary alone. */
  private async awaitingChair(briefingCode: string): Promise<RecordRow | null> {
    const rows = await this.store.all<RecordRow>(
      "SELECT * FROM record WHERE briefing_code = ? AND kind = 'minutes' AND origin = 'signed_here' ORDER BY stored_at DESC",
      [briefingCode],
    );
    for (const row of rows) if ((await this.entry(row)).awaitingChair) return row;
    return null;
  }

  /** Issues a signed record to every meeting point that attended the briefing. */
  async distribute(serverUrl: string, sha256: string): Promise<{ recipients: string[] }> {
    const row = await this.store.get<RecordRow>('SELECT * FROM record WHERE sha256 = ?', [sha256]);
    if (!row) throw new RecordError('not_found', 'no such record on this PC');
    if (!(await this.entry(row)).complete) throw new RecordError('not_countersigned', 'the record is issued only once the chair has signed it, and every signature is intact');
    const saved = await this.minutes.load(row.briefing_code);
    const recipients = (saved?.minutes.attendance ?? []).filter((a) => a.status !== 'absent' && !a.excluded).map((a) => a.point);
    if (!recipients.length) throw new RecordError('no_attendees', 'the minutes list no meeting point as present');
    const bytes = await this.library.read(sha256);
    const document = { sha256, name: row.name, mimeType: 'application/pdf' as const, size: bytes.length } satisfies DocumentRef;
    const authority = await this.briefings.invites.authority(row.briefing_code);
    if (!authority) throw new RecordError('no_authority', "this PC holds neither the chair's nor the secretary's code of this briefing");
    await this.briefings.upload(serverUrl, document, authority);
    // The minutes' assignments become tracked items on the server (series briefings only).
    const assignments = row.kind === 'minutes' ? (saved?.minutes.items ?? []).flatMap((item) => item.assignments).filter((a) => a.unit && a.task) : [];
    await callCatalog(serverUrl, 'publishRecord', { params: {}, token: authority, body: { briefingCode: row.briefing_code, kind: row.kind, document, recipients, assignments } }).catch(
      (error: unknown) => {
        if (!(error instanceof CatalogRequestError)) throw error;
        const detail = error.details.length ? `${error.message}: ${error.details.join(', ')}` : error.message;
        throw error.code === 'unreachable' ? new PublishError('unreachable', detail) : new PublishError('refused', detail, error.code);
      },
    );
    await this.store.run('UPDATE record SET distributed_at = ? WHERE sha256 = ?', [this.now().toISOString(), sha256]);
    return { recipients };
  }

  /** Fetches the records addressed to this PC's seats (one invite code each) not here yet. */
  async receive(serverUrl: string, seatCodes: string[], partsDir: string): Promise<number> {
    let received = 0;
    for (const token of seatCodes) received += await this.receiveFor(serverUrl, token, partsDir);
    return received;
  }

  private async receiveFor(serverUrl: string, token: string, partsDir: string): Promise<number> {
    const listed = await callCatalog(serverUrl, 'listRecords', { params: {}, token, timeoutMs: 10_000 }).catch(() => []);
    let received = 0;
    for (const record of listed) {
      if (await this.store.get('SELECT 1 AS ok FROM record WHERE sha256 = ?', [record.document.sha256])) continue;
      if (!(await this.library.has(record.document.sha256))) {
        const part = path.join(partsDir, `${record.document.sha256}.part`);
        await downloadDocument({ serverUrl, token }, record.document, part, () => undefined);
        await this.library.acceptDownloaded(record.document, part);
        fs.rmSync(part, { force: true });
      }
      await this.keep(record.document, record.briefingCode, record.kind, 'received');
      received++;
    }
    return received;
  }

  private async keep(ref: DocumentRef, briefingCode: string, kind: RecordKind, origin: RecordRow['origin'], writer: Pick<Store, 'run'> = this.store): Promise<void> {
    await writer.run(
      `INSERT INTO record (sha256, briefing_code, kind, name, origin, stored_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (sha256) DO NOTHING`,
      [ref.sha256, briefingCode, kind, ref.name, origin, this.now().toISOString()],
    );
  }

  /** Checked from the bytes on disk unless just checked, so a file changed on this PC shows as changed. */
  private async entry(row: RecordRow, checked?: SignatureCheck[]): Promise<RecordEntry> {
    const signatures = checked ?? (await verifySignatures(await this.library.read(row.sha256), await this.trust.certificates()));
    const signature = overallCheck(signatures);
    const intact = signatures.length > 0 && signatures.every((c) => c.intact);
    return {
      sha256: row.sha256,
      briefingCode: row.briefing_code,
      kind: row.kind,
      name: row.name,
      origin: row.origin,
      storedAt: row.stored_at,
      distributedAt: row.distributed_at,
      signature,
      signatures,
      complete: intact && signatures.some((c) => c.role === 'chair'),
      awaitingChair: intact && row.kind === 'minutes' && signatures.length === 1 && signatures[0].role === 'secretary',
    };
  }

  async list(): Promise<RecordEntry[]> {
    const rows = await this.store.all<RecordRow>('SELECT * FROM record ORDER BY stored_at DESC');
    return Promise.all(rows.map((row) => this.entry(row)));
  }

  /** Briefings whose minutes were written here and whose conclusions notice is not signed yet. */
  async reminders(): Promise<ConclusionsReminder[]> {
    const rows = await this.store.all<{ briefing_code: string }>(
      `SELECT briefing_code FROM minutes m WHERE NOT EXISTS
         (SELECT 1 FROM record r WHERE r.briefing_code = m.briefing_code AND r.kind = 'conclusions' AND r.origin = 'signed_here')`,
    );
    const today = vietnamDay(this.now());
    const reminders: ConclusionsReminder[] = [];
    for (const { briefing_code } of rows) {
      const briefing = await this.briefings.get(briefing_code);
      if (!briefing || Date.parse(briefing.startsAt) > this.now().getTime()) continue;
      const dueDay = addWorkingDays(new Date(briefing.startsAt), CONCLUSIONS_DUE_WORKING_DAYS, this.calendar());
      reminders.push({ briefingCode: briefing.code, title: briefing.title, briefingDay: vietnamDay(new Date(briefing.startsAt)), dueDay, overdue: today > dueDay });
    }
    return reminders;
  }
}

function writeError(error: unknown, folder: string): Error {
  if (error instanceof RecordError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new RecordError('read_only', `cannot write in ${folder}`);
  if (code === 'ENOSPC') return new RecordError('disk_full', `no space left in ${folder}`);
  if (code === 'ENOENT' || code === 'ENOTDIR') return new RecordError('no_folder', `the folder ${folder} does not exist`);
  return new RecordError('write_failed', (error as Error).message);
}
