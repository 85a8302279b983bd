// A server (or someone in between) that sends more than the catalog announced cannot fill the
// meeting point's disk: the download is cut and nothing is kept.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadError, downloadDocument } from '../../main/services/documents/download';
import type { DocumentRef } from '../../sfu-server/protocol/briefing';

const ref: DocumentRef = { sha256: 'a'.repeat(64), name: 'Báo cáo.pdf', mimeType: 'application/pdf', size: 1000 };
let server: http.Server;
let serverUrl: string;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-download-'));

beforeAll(async () => {
  server = http.createServer((req, res) => {
    // Announces its true (larger) length, or streams without one.
    if (req.headers.authorization === 'Bearer ANNOUNCED-BIG') {
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': 50_000_000 });
      res.end(Buffer.alloc(50_000));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/pdf' });
    const chunk = Buffer.alloc(64 * 1024, 0x25);
    let sent = 0;
    const pump = () => {
      while (sent < 20 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
      if (sent < 20 * 1024 * 1024) res.once('drain', pump);
      else res.end();
    };
    res.on('close', () => (sent = Infinity));
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverUrl = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a download larger than announced', () => {
  for (const [how, token] of [['announced up front', 'ANNOUNCED-BIG'], ['streamed without a length', 'STREAMED']] as const) {
    it(`is refused when ${how}, and leaves no file`, async () => {
      const part = path.join(dir, `${token}.part`);
      const error = await downloadDocument({ serverUrl, token }, ref, part).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(DownloadError);
      expect((error as DownloadError).code).toBe('too_large');
      expect(fs.existsSync(part)).toBe(false);
    });
  }
});
