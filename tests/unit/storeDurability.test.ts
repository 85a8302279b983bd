// Nothing saved is lost: a write another service makes while a minutes save is refused stays;
// two saves of the same minutes at once give the conflict the UI handles; a damaged store is set
// aside and the newest backup restored, and the user is told what and from when.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ApiError } from '../../main/api/contract';
import { DesktopServices } from '../../main/services/DesktopServices';
import { emptyItem, type Minutes } from '../../main/services/minutes/model';
import { recoveryNotice, startFailureNotice } from '../../main/electron/startupNotice';
import { KEEP_BACKUPS, listBackups } from '../../main/services/store/Backups';

const dirs: string[] = [];
const open: DesktopServices[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

const clock = { t: Date.parse('2026-11-30T01:00:00Z') };
const now = () => new Date(clock.t);

async function pc(dataDir?: string): Promise<{ services: DesktopServices; dataDir: string }> {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-durable-'));
  if (!dataDir) dirs.push(dir);
  const services = await DesktopServices.open({ dataDir: dir, now, seedDemo: false });
  open.push(services);
  return { services, dataDir: dir };
}

const minutes = (proceedings: string): Minutes => ({
  briefingCode: 'giaoban-t2',
  items: [{ ...emptyItem(), proceedings }],
  meta: { minutesNumber: '', conclusionsNumber: '', parentAgency: '', recipients: [], noticeSignerAuthority: '', noticeSignerPosition: '' },
  attendance: [],
  cursor: { itemIndex: 0, field: 'proceedings' },
});
const sha = 'a'.repeat(64);

describe('writes to the local store', () => {
  it('a note saved while a minutes save is refused is kept', async () => {
    const { services } = await pc();
    await services.api.saveMinutes({ minutes: minutes('Khai mạc'), baseRevision: 0 });
    // A stale save (refused inside its transaction) and a page note at the same moment.
    const [stale, note] = await Promise.allSettled([
      services.call('saveMinutes', { minutes: minutes('bản cũ'), baseRevision: 0 }),
      services.api.savePageNote({ sha256: sha, page: 3, text: 'Hỏi lại kinh phí' }),
    ]);
    expect(stale.status).toBe('rejected');
    expect(((stale as PromiseRejectedResult).reason as ApiError).code).toBe('conflict');
    expect(note.status).toBe('fulfilled');
    expect(await services.api.getPageNotes({ sha256: sha })).toMatchObject([{ page: 3, text: 'Hỏi lại kinh phí' }]);
    expect((await services.api.getMinutes({ briefingCode: 'giaoban-t2' }))?.minutes.items[0].proceedings).toBe('Khai mạc');
  });

  it('two saves of the same minutes at once: one lands, the other gets the conflict', async () => {
    const { services } = await pc();
    const results = await Promise.allSettled([
      services.call('saveMinutes', { minutes: minutes('máy A'), baseRevision: 0 }),
      services.call('saveMinutes', { minutes: minutes('máy B'), baseRevision: 0 }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as ApiError).code).toBe('conflict');
    expect((await services.api.getMinutes({ briefingCode: 'giaoban-t2' }))?.revision).toBe(1);
  });
});

describe('a damaged store', () => {
  const damages: [string, (file: string) => void][] = [
    ['garbage', (file) => fs.writeFileSync(file, Buffer.from('this is not a database at all, just words '.repeat(200)))],
    ['cut short', (file) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 3))],
    ['a zeroed header', (file) => {
      const fd = fs.openSync(file, 'r+');
      fs.writeSync(fd, Buffer.alloc(100));
      fs.closeSync(fd);
    }],
  ];
  for (const [name, damage] of damages) {
    it(`(${name}) is set aside and the newest backup restored, and the user is told from when`, async () => {
      const first = await pc();
      await first.services.api.saveMinutes({ minutes: minutes('Nội dung trước bản sao lưu'), baseRevision: 0 });
      clock.t += 3600_000;
      const backup = await first.services.backups.take();
      await first.services.api.saveMinutes({ minutes: minutes('Nội dung sau bản sao lưu'), baseRevision: 1 });
      await first.services.close();
      open.splice(open.indexOf(first.services), 1);
      const file = path.join(first.dataDir, 'giao-ban.sqlite3');
      // The WAL is folded into the file on close; damage the file itself.
      for (const suffix of ['-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
      damage(file);

      const again = await pc(first.dataDir);
      const recovery = await again.services.api.storeRecovery();
      expect(recovery).toMatchObject({ restoredFrom: backup.takenAt });
      expect(fs.existsSync(recovery!.damagedFile)).toBe(true);
      expect((await again.services.api.getMinutes({ briefingCode: 'giaoban-t2' }))?.minutes.items[0].proceedings).toBe('Nội dung trước bản sao lưu');
    });
  }

  it('with no backup at all, starts empty, keeps the damaged file and says so', async () => {
    const first = await pc();
    await first.services.close();
    open.splice(open.indexOf(first.services), 1);
    for (const backup of listBackups(path.join(first.dataDir, 'backups'))) fs.rmSync(backup.file);
    fs.writeFileSync(path.join(first.dataDir, 'giao-ban.sqlite3'), 'garbage');
    const again = await pc(first.dataDir);
    expect(await again.services.api.storeRecovery()).toMatchObject({ restoredFrom: null });
    expect(await again.services.api.listBriefings()).toEqual([]);
  });
});

describe('backups', () => {
  it('are taken hourly in a briefing, daily otherwise, and the last 7 kept', async () => {
    const { services, dataDir } = await pc();
    const dir = path.join(dataDir, 'backups');
    const start = listBackups(dir).length;
    clock.t += 30 * 60_000;
    expect(await services.backups.takeIfDue(false)).toBeNull();
    clock.t += 31 * 60_000;
    expect(await services.backups.takeIfDue(false)).toBeNull();
    expect(await services.backups.takeIfDue(true)).not.toBeNull();
    for (let i = 0; i < 10; i++) {
      clock.t += 25 * 3600_000;
      await services.backups.takeIfDue(false);
    }
    expect(start).toBe(1);
    expect(listBackups(dir)).toHaveLength(KEEP_BACKUPS);
  });
});

describe('what the desktop window says at start', () => {
  it('names the backup time and where the damaged file is, in Vietnamese', () => {
    const notice = recoveryNotice({ problem: 'file is not a database', damagedFile: '/du-lieu/giao-ban.sqlite3.damaged-1', restoredFrom: '2026-11-30T01:00:00.000Z' });
    expect(notice.message).toContain('khôi phục từ bản sao lưu lúc');
    expect(notice.message).toContain('08:00:00');
    expect(notice.detail).toContain('/du-lieu/giao-ban.sqlite3.damaged-1');
    expect(recoveryNotice({ problem: 'x', damagedFile: 'f', restoredFrom: null }).message).toContain('chưa có bản sao lưu');
  });

  it('says why the app could not start instead of showing nothing', () => {
    const newer = startFailureNotice(new Error('the database is from a newer Giao Ban (schema 12, this app knows 9); update the app'), '/du-lieu');
    expect(newer.message).toContain('phiên bản Giao Ban mới hơn');
    expect(startFailureNotice(new Error('EACCES'), '/du-lieu').detail).toContain('EACCES');
  });
});
