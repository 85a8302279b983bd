// The server's time-stamp authority (RFC 3161), checked with OpenSSL's own `ts` tool: a stamped
// time over the exact bytes, verified against the TSA's certificate; a bad request is refused
// with the reason; only a briefing's chair, secretary or an organizer may ask.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SfuServer, startSfuServer } from '../../sfu-server/src/SfuServer';
import { publishInvites } from '../support/invitations';

let server: SfuServer;
let dataDir: string;
let organizerKey: string;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-tsa-'));
const stampedAt = new Date('2026-11-27T01:30:00Z');

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-tsa-sfu-'));
  server = await startSfuServer({ host: '127.0.0.1', port: 0, mediaAddresses: [{ ip: '127.0.0.1' }], mediaPort: 0, workers: 1, dataDir }, { now: () => stampedAt });
  organizerKey = (await server.organizers.add('UBND tỉnh Thử Nghiệm')).key;
});
afterAll(async () => {
  await server.close();
  fs.rmSync(work, { recursive: true, force: true });
});

const stamp = (body: Buffer, key: string | null = organizerKey, type = 'application/timestamp-query') =>
  fetch(`${server.url.replace('ws://', 'http://')}/catalog/timestamp`, {
    method: 'POST',
    headers: { 'content-type': type, ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: new Uint8Array(body),
  });

describe('the time-stamp authority', () => {
  it('stamps a SHA-256 imprint; OpenSSL verifies the token against the TSA certificate', async () => {
    const data = path.join(work, 'chu-ky.bin');
    fs.writeFileSync(data, 'giá trị chữ ký của biên bản');
    execFileSync('openssl', ['ts', '-query', '-data', data, '-sha256', '-cert', '-out', path.join(work, 'q.tsq')]);
    const answer = await stamp(fs.readFileSync(path.join(work, 'q.tsq')));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/timestamp-reply');
    fs.writeFileSync(path.join(work, 'r.tsr'), Buffer.from(await answer.arrayBuffer()));
    const text = execFileSync('openssl', ['ts', '-reply', '-in', path.join(work, 'r.tsr'), '-text']).toString();
    expect(text).toContain('Status: Granted.');
    expect(text).toContain('Nov 27 01:30:00 2026 GMT');
    const verified = execFileSync('openssl', ['ts', '-verify', '-data', data, '-in', path.join(work, 'r.tsr'), '-CAfile', path.join(dataDir, 'tsa', 'tsa.crt')], { stdio: 'pipe' }).toString();
    expect(verified).toContain('Verification: OK');
    // Other bytes do not match the stamp.
    fs.writeFileSync(path.join(work, 'khac.bin'), 'dữ liệu khác');
    expect(() => execFileSync('openssl', ['ts', '-verify', '-data', path.join(work, 'khac.bin'), '-in', path.join(work, 'r.tsr'), '-CAfile', path.join(dataDir, 'tsa', 'tsa.crt')], { stdio: 'pipe' })).toThrow();
    expect(fs.statSync(path.join(dataDir, 'tsa', 'tsa.key')).mode & 0o777).toBe(0o600);
  });

  it('refuses with the reason: no key, a point’s code, not a query, not SHA-256', async () => {
    const query = fs.readFileSync(path.join(work, 'q.tsq'));
    expect((await stamp(query, null)).status).toBe(401);
    const invites = await publishInvites(server, 'giaoban-dau-thoi-gian', ['Xã Tân Lập']);
    expect((await stamp(query, invites.points['Xã Tân Lập'])).status).toBe(403);
    expect((await stamp(query, invites.secretary)).status).toBe(200);
    expect((await stamp(query, organizerKey, 'application/json')).status).toBe(415);
    const garbage = await stamp(Buffer.from('không phải yêu cầu'));
    fs.writeFileSync(path.join(work, 'bad.tsr'), Buffer.from(await garbage.arrayBuffer()));
    expect(execFileSync('openssl', ['ts', '-reply', '-in', path.join(work, 'bad.tsr'), '-text']).toString()).toMatch(/Status: Rejected[\s\S]*Failure info: the data submitted has the wrong format/);
    execFileSync('openssl', ['ts', '-query', '-data', path.join(work, 'chu-ky.bin'), '-sha1', '-out', path.join(work, 'sha1.tsq')]);
    const sha1 = await stamp(fs.readFileSync(path.join(work, 'sha1.tsq')));
    fs.writeFileSync(path.join(work, 'sha1.tsr'), Buffer.from(await sha1.arrayBuffer()));
    expect(execFileSync('openssl', ['ts', '-reply', '-in', path.join(work, 'sha1.tsr'), '-text']).toString()).toMatch(/Status: Rejected[\s\S]*Failure info: unrecognized or unsupported algorithm/i);
  });
});
