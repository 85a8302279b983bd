import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deriveAttendance } from '../../main/services/minutes/attendance';
import { MinutesConflictError, MinutesStore, SNAPSHOT_EVERY_MS } from '../../main/services/minutes/MinutesStore';
import { emptyItem, type Minutes } from '../../main/services/minutes/model';
import { openLocalStore } from '../../main/services/store/Store';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
async function minutesStore(clock: { t: number }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-minutes-'));
  dirs.push(dir);
  const store = await openLocalStore(path.join(dir, 'm.sqlite3'));
  return { store, minutes: new MinutesStore(store, () => new Date(clock.t)) };
}
const draft = (proceedings: string): Minutes => ({
  briefingCode: 'giaoban-t2',
  items: [{ ...emptyItem(), proceedings }],
  meta: { minutesNumber: '', conclusionsNumber: '', parentAgency: '', recipients: [], noticeSignerAuthority: '', noticeSignerPosition: '' },
  attendance: [],
  cursor: { itemIndex: 0, field: 'proceedings' },
});

describe('minutes store', () => {
  it('saves revisions and refuses a save over a revision someone else replaced', async () => {
    const clock = { t: Date.parse('2026-11-30T01:00:00Z') };
    const { store, minutes } = await minutesStore(clock);
    expect((await minutes.save(draft('Khai mạc'), 0)).revision).toBe(1);
    expect((await minutes.save(draft('Khai mạc, báo cáo'), 1)).revision).toBe(2);
    await expect(minutes.save(draft('bản khác'), 1)).rejects.toBeInstanceOf(MinutesConflictError);
    expect((await minutes.load('giaoban-t2'))?.minutes.items[0].proceedings).toBe('Khai mạc, báo cáo');
    await store.close();
  });

  it('keeps a version a minute, and restores one as the newest without losing the others', async () => {
    const clock = { t: Date.parse('2026-11-30T01:00:00Z') };
    const { store, minutes } = await minutesStore(clock);
    let revision = 0;
    for (let i = 1; i <= 130; i++) {
      revision = (await minutes.save(draft(`bản ${i}`), revision)).revision;
      clock.t += 1000;
    }
    const versions = await minutes.versions('giaoban-t2');
    expect(versions.length).toBe(Math.ceil((130 * 1000) / SNAPSHOT_EVERY_MS));
    const first = versions.at(-1)!;
    expect((await minutes.version('giaoban-t2', first.revision))?.items[0].proceedings).toBe('bản 1');
    await minutes.restore('giaoban-t2', first.revision);
    expect((await minutes.load('giaoban-t2'))?.minutes.items[0].proceedings).toBe('bản 1');
    expect((await minutes.versions('giaoban-t2')).length).toBeGreaterThanOrEqual(versions.length);
    await store.close();
  });

  it('refuses malformed minutes and keeps what was saved', async () => {
    const { store, minutes } = await minutesStore({ t: Date.now() });
    await minutes.save(draft('Nội dung đã lưu'), 0);
    await expect(minutes.save({ briefingCode: 'giaoban-t2', items: 'nonsense' }, 1)).rejects.toThrow();
    expect((await minutes.load('giaoban-t2'))?.minutes.items[0].proceedings).toBe('Nội dung đã lưu');
    await store.close();
  });
});

describe('attendance from who joined', () => {
  it('marks invited points online, in the room or absent, with join and leave times', () => {
    const attendance = deriveAttendance(
      ['UBND huyện', 'Xã Tân Lập', 'Xã Hòa Bình', 'Xã Phú Sơn'],
      [
        { point: 'UBND huyện', type: 'join', at: '2026-11-30T00:29:00Z' },
        { point: 'Xã Tân Lập', type: 'join', at: '2026-11-30T00:30:00Z' },
        { point: 'Xã Tân Lập', type: 'leave', at: '2026-11-30T00:50:00Z' },
        { point: 'Xã Tân Lập', type: 'join', at: '2026-11-30T00:52:00Z' },
        { point: 'Xã Hòa Bình', type: 'join', at: '2026-11-30T00:31:00Z' },
        { point: 'Xã Hòa Bình', type: 'leave', at: '2026-11-30T01:40:00Z' },
        { point: 'Khách', type: 'join', at: '2026-11-30T00:35:00Z' },
      ],
      { inRoom: ['UBND huyện'], absenceReasons: { 'Xã Phú Sơn': 'Mất điện' } },
    );
    expect(attendance).toEqual([
      { point: 'UBND huyện', status: 'in_room', people: '', absenceReason: '', joinedAt: '2026-11-30T00:29:00Z', leftAt: null },
      { point: 'Xã Tân Lập', status: 'online', people: '', absenceReason: '', joinedAt: '2026-11-30T00:30:00Z', leftAt: null },
      { point: 'Xã Hòa Bình', status: 'online', people: '', absenceReason: '', joinedAt: '2026-11-30T00:31:00Z', leftAt: '2026-11-30T01:40:00Z' },
      { point: 'Xã Phú Sơn', status: 'absent', people: '', absenceReason: 'Mất điện', joinedAt: null, leftAt: null },
      { point: 'Khách', status: 'online', people: '', absenceReason: '', joinedAt: '2026-11-30T00:35:00Z', leftAt: null },
    ]);
  });
});
