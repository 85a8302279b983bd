// The audit log an operator can trust: a row changed or removed behind the server's back is
// found by `npm run sfu -- audit verify`, the log refuses updates, and it does not grow forever.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { runConsoleCommand } from '../../sfu-server/src/console';
import { type SfuServer, startSfuServer } from '../../sfu-server/src/SfuServer';

const open: SfuServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function serverWithLog(rows: number, maxAuditRows = 200_000): Promise<{ server: SfuServer; dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-audit-'));
  const server = await startSfuServer({ host: '127.0.0.1', port: 0, mediaAddresses: [{ ip: '127.0.0.1' }], mediaPort: 0, workers: 1, dataDir, maxAuditRows });
  open.push(server);
  for (let i = 1; i <= rows; i++) {
    void server.audit.write({ briefingCode: 'giaoban-nhat-ky', actor: `Xã ${i}`, action: 'joined', subject: `Xã ${i}`, detail: null });
  }
  await server.audit.write({ briefingCode: 'giaoban-nhat-ky', actor: 'UBND tỉnh', action: 'locked', subject: null, detail: null });
  return { server, dataDir };
}

/** What someone with the database file in hand would do, outside the server. */
function tamper(dataDir: string, sql: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(path.join(dataDir, 'catalog.sqlite3'));
    db.exec(sql, (error) => db.close(() => (error ? reject(error) : resolve())));
  });
}

async function verify(dataDir: string): Promise<{ code: number; text: string }> {
  let text = '';
  const code = await runConsoleCommand(['audit', 'verify', '--data-dir', dataDir], {}, (line) => (text += line));
  return { code, text };
}

describe('the audit log', () => {
  it('verifies intact, and names the row someone changed behind the server', async () => {
    const { dataDir } = await serverWithLog(40);
    expect(await verify(dataDir)).toEqual({ code: 0, text: expect.stringMatching(/intact: 41 rows/) });
    // The server's own connection refuses to change a written row.
    await expect(tamper(dataDir, "UPDATE audit_event SET detail = 'sửa' WHERE id = 10")).rejects.toThrow(/append-only/);
    // Someone who drops the guard first is still found out.
    await tamper(dataDir, "DROP TRIGGER audit_event_append_only; UPDATE audit_event SET actor = 'Xã khác' WHERE id = 10");
    const broken = await verify(dataDir);
    expect(broken.code).toBe(1);
    expect(broken.text).toMatch(/BROKEN at row 10 .*changed after it was written/);
  });

  it('names the row after one that was removed', async () => {
    const { dataDir } = await serverWithLog(20);
    await tamper(dataDir, 'DELETE FROM audit_event WHERE id = 7');
    const broken = await verify(dataDir);
    expect(broken.code).toBe(1);
    expect(broken.text).toMatch(/BROKEN at row 8 .*removed or changed/);
  });

  it('keeps at most its limit of rows, and still verifies from where it was pruned', async () => {
    const { server, dataDir } = await serverWithLog(450, 100);
    const count = await server.catalog.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM audit_event');
    expect(count!.n).toBeLessThanOrEqual(100);
    expect((await server.audit.forBriefing('giaoban-nhat-ky')).at(-1)).toMatchObject({ action: 'locked' });
    expect((await verify(dataDir)).code).toBe(0);
  });
});
