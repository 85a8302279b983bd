// Downloads one document from the catalog into a `.part` file, resuming where an earlier
// attempt stopped, and verifies its SHA-256 before it is accepted.
import { type Hash, createHash } from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DocumentRef } from '../../../sfu-server/protocol/briefing';
import { CatalogRequestError, catalogFetch } from '../catalog/CatalogClient';

export class DownloadError extends Error {
  constructor(
    /** too_large: the server sent more than the catalog announced; refused: no access. */
    readonly code: 'unreachable' | 'not_found' | 'hash_mismatch' | 'disk_full' | 'interrupted' | 'too_large' | 'refused',
    message: string,
  ) {
    super(message);
  }
}

/** A hash fed with the part file's first `length` bytes: a resumed download hashes what it had
 * once, then every new byte as it arrives. */
async function hashOfPrefix(file: string, length: number): Promise<Hash> {
  const hash = createHash('sha256');
  if (length > 0) {
    for await (const chunk of fs.createReadStream(file, { start: 0, end: length - 1 }) as AsyncIterable<Buffer>) hash.update(chunk);
  }
  return hash;
}

/** A link that delivers nothing for this long is given up on; the next sync resumes. */
const IDLE_TIMEOUT_MS = 30_000;

interface Source {
  serverUrl: string;
  /** An invite code (or organizer key) that opens a briefing carrying the document. */
  token: string;
}

/** One attempt: resumes from the part file's length; the file's hash is taken as it is written,
 * and checked once the last byte is in. */
async function attempt(source: Source, part: string, ref: DocumentRef, onBytes: (n: number) => void): Promise<void> {
  const idle = new AbortController();
  let idleTimer = setTimeout(() => idle.abort(), IDLE_TIMEOUT_MS);
  const stillAlive = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => idle.abort(), IDLE_TIMEOUT_MS);
  };
  let digest: string;
  try {
    digest = await transfer(source, part, ref, onBytes, idle.signal, stillAlive);
  } finally {
    clearTimeout(idleTimer);
  }
  if (digest !== ref.sha256) {
    fs.rmSync(part, { force: true });
    throw new DownloadError('hash_mismatch', `${ref.name} arrived damaged (SHA-256 mismatch) and was discarded`);
  }
}

async function transfer(
  source: Source,
  part: string,
  ref: DocumentRef,
  onBytes: (n: number) => void,
  signal: AbortSignal,
  stillAlive: () => void,
): Promise<string> {
  let have = fs.existsSync(part) ? fs.statSync(part).size : 0;
  if (have > ref.size) {
    fs.rmSync(part);
    have = 0;
  }
  let hash = await hashOfPrefix(part, have);
  if (have < ref.size) {
    let response: Response;
    try {
      response = await catalogFetch(source.serverUrl, 'downloadDocument', {
        params: { sha256: ref.sha256 },
        token: source.token,
        headers: have > 0 ? { range: `bytes=${have}-` } : {},
        signal,
      });
    } catch (error) {
      if (!(error instanceof CatalogRequestError) || error.code === 'unreachable') {
        throw new DownloadError('unreachable', `cannot reach the server: ${(error as Error).message}`);
      }
      if (error.status === 404) throw new DownloadError('not_found', `${ref.name} is not on the server`);
      if (error.status === 401 || error.status === 403) throw new DownloadError('refused', `${ref.name}: ${error.message}`);
      throw new DownloadError('unreachable', `server answered ${error.status}`);
    }
    if (!response.body) throw new DownloadError('unreachable', `server answered ${response.status} with no body`);
    // A server that ignores Range sends the whole file again: start the part file over.
    const append = response.status === 206 && have > 0;
    if (!append && have > 0) {
      have = 0;
      hash = createHash('sha256');
    }
    onBytes(have);
    // The catalog announced the size: a server (or someone in between) sending more is cut off
    // at once, before it can fill the disk (and before a part file is made for it).
    const announced = Number(response.headers.get('content-length') ?? NaN);
    if (announced > ref.size - have) {
      await response.body.cancel();
      throw new DownloadError('too_large', `${ref.name}: the server offers ${announced} bytes, the catalog announced ${ref.size}`);
    }
    const out = fs.createWriteStream(part, { flags: append ? 'a' : 'w' });
    // The file is opened in the background: cut off before that, it was made after the part file
    // had been removed, and a refused download left one behind.
    const outClosed = new Promise<void>((resolve) => out.once('close', () => resolve()));
    const counted = Readable.fromWeb(response.body as never).on('data', (chunk: Buffer) => {
      stillAlive();
      hash.update(chunk);
      onBytes((have += chunk.length));
      if (have > ref.size) counted.destroy(new DownloadError('too_large', `${ref.name}: more bytes than the catalog announced (${ref.size})`));
    });
    try {
      await pipeline(counted, out);
    } catch (error) {
      if (error instanceof DownloadError) {
        await outClosed;
        fs.rmSync(part, { force: true });
        throw error;
      }
      if ((error as NodeJS.ErrnoException).code === 'ENOSPC') throw new DownloadError('disk_full', 'the disk is full');
      throw new DownloadError('interrupted', `download cut at ${have} of ${ref.size} bytes; it resumes next time`);
    }
  }
  return hash.digest('hex');
}

/** Downloads `ref` to `part`; a damaged result is discarded and fetched once more from zero. */
export async function downloadDocument(
  source: Source,
  ref: DocumentRef,
  part: string,
  onBytes: (bytesOnDisk: number) => void = () => undefined,
): Promise<void> {
  try {
    await attempt(source, part, ref, onBytes);
  } catch (error) {
    if (!(error instanceof DownloadError) || error.code !== 'hash_mismatch') throw error;
    await attempt(source, part, ref, onBytes);
  }
}
