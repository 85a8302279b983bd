// Downloads one document from the catalog into a `.part` file, resuming where an earlier
// attempt stopped, and verifies its SHA-256 before it is accepted.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DocumentRef } from '../../../sfu-server/protocol/briefing';

export class DownloadError extends Error {
  constructor(
    readonly code: 'unreachable' | 'not_found' | 'hash_mismatch' | 'disk_full' | 'interrupted',
    message: string,
  ) {
    super(message);
  }
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

/** A link that delivers nothing for this long is given up on; the next sync resumes. */
const IDLE_TIMEOUT_MS = 30_000;

/** One attempt: resumes from the part file's length, then verifies the whole file. */
async function attempt(url: string, part: string, ref: DocumentRef, onBytes: (n: number) => void): Promise<void> {
  const idle = new AbortController();
  let idleTimer = setTimeout(() => idle.abort(), IDLE_TIMEOUT_MS);
  const stillAlive = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => idle.abort(), IDLE_TIMEOUT_MS);
  };
  try {
    await transfer(url, part, ref, onBytes, idle.signal, stillAlive);
  } finally {
    clearTimeout(idleTimer);
  }
  if ((await sha256Of(part)) !== ref.sha256) {
    fs.rmSync(part, { force: true });
    throw new DownloadError('hash_mismatch', `${ref.name} arrived damaged (SHA-256 mismatch) and was discarded`);
  }
}

async function transfer(
  url: string,
  part: string,
  ref: DocumentRef,
  onBytes: (n: number) => void,
  signal: AbortSignal,
  stillAlive: () => void,
): Promise<void> {
  let have = fs.existsSync(part) ? fs.statSync(part).size : 0;
  if (have > ref.size) {
    fs.rmSync(part);
    have = 0;
  }
  if (have < ref.size) {
    let response: Response;
    try {
      response = await fetch(url, { headers: have > 0 ? { range: `bytes=${have}-` } : {}, signal });
    } catch (error) {
      throw new DownloadError('unreachable', `cannot reach the server: ${(error as Error).message}`);
    }
    if (response.status === 404) throw new DownloadError('not_found', `${ref.name} is not on the server`);
    if (!response.ok || !response.body) throw new DownloadError('unreachable', `server answered ${response.status}`);
    // A server that ignores Range sends the whole file again: start the part file over.
    const append = response.status === 206 && have > 0;
    if (!append) have = 0;
    onBytes(have);
    const out = fs.createWriteStream(part, { flags: append ? 'a' : 'w' });
    const counted = Readable.fromWeb(response.body as never).on('data', (chunk: Buffer) => {
      stillAlive();
      onBytes((have += chunk.length));
    });
    try {
      await pipeline(counted, out);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOSPC') throw new DownloadError('disk_full', 'the disk is full');
      throw new DownloadError('interrupted', `download cut at ${have} of ${ref.size} bytes; it resumes next time`);
    }
  }
}

/** Downloads `ref` to `part`; a damaged result is discarded and fetched once more from zero. */
export async function downloadDocument(
  baseUrl: string,
  ref: DocumentRef,
  part: string,
  onBytes: (bytesOnDisk: number) => void = () => undefined,
): Promise<void> {
  const url = `${baseUrl}/catalog/documents/${ref.sha256}`;
  try {
    await attempt(url, part, ref, onBytes);
  } catch (error) {
    if (!(error instanceof DownloadError) || error.code !== 'hash_mismatch') throw error;
    await attempt(url, part, ref, onBytes);
  }
}
