// Document files stored by their SHA-256: the same bytes are kept once, and a name can never
// point at other bytes. Writes go to a temporary file and are renamed into place only after
// the hash is checked, so a cut upload or download never leaves a damaged file behind.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';

export class BlobError extends Error {
  constructor(
    readonly code: 'too_large' | 'empty' | 'hash_mismatch' | 'bad_type' | 'disk_full' | 'io',
    message: string,
  ) {
    super(message);
  }
}

const MAGIC: Record<string, Buffer> = {
  pdf: Buffer.from('%PDF-'),
  zip: Buffer.from([0x50, 0x4b, 0x03, 0x04]), // DOCX and XLSX are ZIP containers
};

/** Checks a file's first bytes match what its type claims: a non-PDF renamed .pdf is refused. */
export function contentMatchesType(head: Buffer, mimeType: string): boolean {
  const magic = mimeType === 'application/pdf' ? MAGIC.pdf : MAGIC.zip;
  return head.subarray(0, magic.length).equals(magic);
}

export class BlobStore {
  constructor(private readonly root: string) {
    fs.mkdirSync(path.join(root, 'tmp'), { recursive: true });
  }

  pathOf(sha256: string): string {
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  has(sha256: string): boolean {
    return fs.existsSync(this.pathOf(sha256));
  }

  size(sha256: string): number {
    return fs.statSync(this.pathOf(sha256)).size;
  }

  /** Moves in a file whose SHA-256 the caller computed as it wrote it (a verified download): a
   * rename, with no second copy and no second hash. Its type is still checked by its first bytes. */
  async adopt(file: string, expected: { sha256: string; mimeType: string }): Promise<{ existed: boolean }> {
    const handle = await fs.promises.open(file, 'r');
    const head = Buffer.alloc(8);
    try {
      await handle.read(head, 0, 8, 0);
    } finally {
      await handle.close();
    }
    if (!contentMatchesType(head, expected.mimeType)) throw new BlobError('bad_type', `the content is not a ${expected.mimeType} file`);
    if (this.has(expected.sha256)) {
      await fs.promises.rm(file, { force: true });
      return { existed: true };
    }
    const target = this.pathOf(expected.sha256);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    try {
      await fs.promises.rename(file, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      // Another file system (a data folder moved by hand): copied once, then renamed within.
      const temp = path.join(this.root, 'tmp', randomUUID());
      await fs.promises.copyFile(file, temp);
      await fs.promises.rename(temp, target);
      await fs.promises.rm(file, { force: true });
    }
    return { existed: false };
  }

  /** Streams `source` in, checking size, type and hash; resolves once the file is in place. */
  async put(
    source: Readable,
    expected: { sha256: string; mimeType: string; maxBytes: number },
  ): Promise<{ size: number; existed: boolean }> {
    const temp = path.join(this.root, 'tmp', randomUUID());
    const hash = createHash('sha256');
    let size = 0;
    let head = Buffer.alloc(0);
    const out = fs.createWriteStream(temp);
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > expected.maxBytes) throw new BlobError('too_large', `file over ${expected.maxBytes} bytes`);
        if (head.length < 8) head = Buffer.concat([head, chunk.subarray(0, 8)]);
        hash.update(chunk);
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
      await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
      if (size === 0) throw new BlobError('empty', 'the file is empty');
      if (!contentMatchesType(head, expected.mimeType)) {
        throw new BlobError('bad_type', `the content is not a ${expected.mimeType} file`);
      }
      const actual = hash.digest('hex');
      if (actual !== expected.sha256) throw new BlobError('hash_mismatch', `content hash ${actual} is not ${expected.sha256}`);
      const existed = this.has(expected.sha256);
      if (!existed) {
        fs.mkdirSync(path.dirname(this.pathOf(expected.sha256)), { recursive: true });
        fs.renameSync(temp, this.pathOf(expected.sha256));
      }
      return { size, existed };
    } catch (error) {
      out.destroy();
      if ((error as NodeJS.ErrnoException).code === 'ENOSPC') throw new BlobError('disk_full', 'the disk is full');
      throw error instanceof BlobError ? error : new BlobError('io', (error as Error).message);
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }
}
