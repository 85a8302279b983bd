// The documents on this PC: stored by SHA-256 next to the database, their PDF text indexed for
// search. A file is checked (size, type by content, PDF readable) before anything is stored.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  DOCUMENT_TYPES,
  type DocumentMimeType,
  type DocumentRef,
  MAX_DOCUMENT_BYTES,
} from '../../../sfu-server/protocol/briefing';
import { BlobError, BlobStore, contentMatchesType } from '../../../lib/BlobStore';
import type { LocalSearch } from '../search/LocalSearch';
import type { Store } from '../store/Store';
import { readPdfText } from './pdfText';

export class DocumentError extends Error {
  constructor(
    readonly code: 'empty' | 'too_large' | 'bad_type' | 'corrupt_pdf' | 'disk_full' | 'not_found' | 'io',
    message: string,
  ) {
    super(message);
  }
}

const EXTENSIONS = Object.fromEntries(Object.entries(DOCUMENT_TYPES).map(([mime, ext]) => [ext, mime])) as Record<
  string,
  DocumentMimeType
>;

export function mimeTypeOf(fileName: string): DocumentMimeType | undefined {
  return EXTENSIONS[path.extname(fileName).toLowerCase()];
}

export class DocumentLibrary {
  readonly blobs: BlobStore;

  constructor(
    private readonly store: Store,
    private readonly search: LocalSearch,
    dir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.blobs = new BlobStore(dir);
  }

  /** A file the secretary picked. Returns its reference, and whether it was already here. */
  async importFile(name: string, bytes: Buffer): Promise<{ ref: DocumentRef; alreadyStored: boolean }> {
    const mimeType = mimeTypeOf(name);
    if (!mimeType) throw new DocumentError('bad_type', `only ${Object.values(DOCUMENT_TYPES).join(', ')} files are accepted`);
    if (bytes.length === 0) throw new DocumentError('empty', 'the file is empty');
    if (bytes.length > MAX_DOCUMENT_BYTES) throw new DocumentError('too_large', `files are limited to ${MAX_DOCUMENT_BYTES} bytes`);
    if (!contentMatchesType(bytes.subarray(0, 8), mimeType)) {
      throw new DocumentError('bad_type', `the content of ${name} is not a ${DOCUMENT_TYPES[mimeType]} file`);
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const ref: DocumentRef = { sha256, name: name.slice(0, 200), mimeType, size: bytes.length };
    const alreadyStored = await this.has(sha256);
    if (!alreadyStored) await this.accept(ref, () => Readable.from([bytes]));
    return { ref, alreadyStored };
  }

  /** A downloaded file whose SHA-256 the download checked as it arrived: renamed into place
   * (no second copy, no second hash) and indexed. */
  async acceptDownloaded(ref: DocumentRef, file: string): Promise<void> {
    const pages = await this.pagesOf(ref, () => fs.createReadStream(file));
    try {
      await this.blobs.adopt(file, { sha256: ref.sha256, mimeType: ref.mimeType });
    } catch (error) {
      if (error instanceof BlobError) throw new DocumentError('io', error.message);
      throw error;
    }
    await this.index(ref, pages);
  }

  async has(sha256: string): Promise<boolean> {
    const row = await this.store.get('SELECT 1 AS ok FROM document WHERE sha256 = ?', [sha256]);
    return !!row && this.blobs.has(sha256);
  }

  async read(sha256: string): Promise<Buffer> {
    if (!(await this.has(sha256))) throw new DocumentError('not_found', 'this document is not on this PC yet');
    return fs.promises.readFile(this.blobs.pathOf(sha256));
  }

  async mimeTypeOf(sha256: string): Promise<DocumentMimeType> {
    const row = await this.store.get<{ mime_type: DocumentMimeType }>('SELECT mime_type FROM document WHERE sha256 = ?', [sha256]);
    if (!row) throw new DocumentError('not_found', 'this document is not on this PC yet');
    return row.mime_type;
  }

  pathOf(sha256: string): string {
    return this.blobs.pathOf(sha256);
  }

  /** A copy under its own name and extension, for the system's program to open: files are kept
   * by hash, and a file without an extension opens in no program. */
  async openableCopy(sha256: string, folder: string): Promise<string> {
    const row = await this.store.get<{ name: string; mime_type: DocumentMimeType }>('SELECT name, mime_type FROM document WHERE sha256 = ?', [sha256]);
    if (!row || !this.blobs.has(sha256)) throw new DocumentError('not_found', 'this document is not on this PC yet');
    const extension = DOCUMENT_TYPES[row.mime_type];
    // Only a plain file name: a name from another PC never names a folder.
    const printable = Array.from(row.name, (ch) => (ch.charCodeAt(0) < 0x20 || '\\/:*?"<>|'.includes(ch) ? '_' : ch)).join('');
    const base = path.basename(printable).trim() || sha256.slice(0, 12);
    const name = path.extname(base).toLowerCase() === extension ? base : `${base}${extension}`;
    const dir = path.join(folder, sha256.slice(0, 16));
    await fs.promises.mkdir(dir, { recursive: true });
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) await fs.promises.copyFile(this.blobs.pathOf(sha256), file);
    return file;
  }

  /** A PDF's text by page, for search; a PDF that pdf.js cannot open would fail in every meeting
   * point's viewer, so it is refused here. Other types have none. */
  private async pagesOf(ref: DocumentRef, open: () => Readable): Promise<string[]> {
    if (ref.mimeType !== 'application/pdf') return [];
    const bytes = await streamToBuffer(open());
    try {
      return await readPdfText(bytes);
    } catch (error) {
      throw new DocumentError('corrupt_pdf', `${ref.name} is not a readable PDF: ${(error as Error).message}`);
    }
  }

  private async accept(ref: DocumentRef, open: () => Readable): Promise<void> {
    const pages = await this.pagesOf(ref, open);
    try {
      await this.blobs.put(open(), { sha256: ref.sha256, mimeType: ref.mimeType, maxBytes: MAX_DOCUMENT_BYTES });
    } catch (error) {
      if (error instanceof BlobError) {
        throw new DocumentError(error.code === 'disk_full' ? 'disk_full' : error.code === 'empty' ? 'empty' : 'io', error.message);
      }
      throw error;
    }
    await this.index(ref, pages);
  }

  private async index(ref: DocumentRef, pages: string[]): Promise<void> {
    await this.store.run(
      `INSERT INTO document (sha256, name, mime_type, size, page_count, stored_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (sha256) DO NOTHING`,
      [ref.sha256, ref.name, ref.mimeType, ref.size, pages.length || null, this.now().toISOString()],
    );
    for (const [i, text] of pages.entries()) {
      await this.search.index('page', `${ref.sha256}#${i + 1}`, `${ref.name} · ${i + 1}`, text);
    }
  }
}

async function streamToBuffer(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
