// The organizer imports the government's yearly notice once: it is kept across restarts, a bad
// file is refused with the reason and changes nothing, the app says which year lacks one, and
// every deadline moves with it.
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../main/api/contract';
import { DesktopServices } from '../../main/services/DesktopServices';
import { emptyItem } from '../../main/services/minutes/model';
import { briefingDraft } from '../support/recordFixture';
import { startTestServer } from '../support/testServer';
import { tempDirs } from '../support/tempDirs';

const { temp, removeAll } = tempDirs();
afterAll(removeAll);
const clock = { t: Date.parse('2026-02-10T09:00:00+07:00') };
const now = () => new Date(clock.t);
const file = (json: unknown) => ({ dataBase64: Buffer.from(JSON.stringify(json)).toString('base64') });
/** The 2026 notice: Tết Bính Ngọ from Saturday 14 to Sunday 22 February. */
const notice2026 = {
  year: 2026,
  title: 'Thông báo nghỉ Tết Âm lịch 2026 (thử)',
  daysOff: ['2026-01-01', '2026-02-14/2026-02-22', '2026-04-27', '2026-04-30', '2026-05-01', '2026-09-01', '2026-09-02'],
};

describe("the government's notice on this PC", () => {
  it('is imported once, kept across a restart, and moves the deadlines', async () => {
    const dataDir = temp('pc');
    let pc = await DesktopServices.open({ dataDir, now, seedDemo: false });
    // February 2026, nothing imported: the app says this year has no notice.
    expect((await pc.api.calendarStatus()).missingNotice).toBe(2026);

    // A briefing on Friday 13 February: its conclusions notice is due 5 working days later,
    // after Tết (16–20 February off): Friday 27 February.
    const server = await startTestServer({}, { now });
    await pc.api.saveOrganizerKey({ serverUrl: server.url, key: (await server.organizers.add('UBND tỉnh')).key });
    const briefing = briefingDraft({ code: 'giaoban-truoc-tet', startsAt: '2026-02-13T08:00:00+07:00' });
    await pc.api.publishBriefing({ serverUrl: server.url, draft: briefing });
    await server.close();
    await pc.api.saveMinutes({ baseRevision: 0, minutes: { briefingCode: briefing.code, items: [emptyItem(), emptyItem()], attendance: [], cursor: null } });
    clock.t = Date.parse('2026-02-24T09:00:00+07:00');
    expect((await pc.api.conclusionsReminders()).map((r) => r.dueDay)).toEqual(['2026-02-27']);

    // A file that forgets Giỗ Tổ is refused with the reason; nothing changes.
    const forgetful = { ...notice2026, daysOff: ['2026-01-01', '2026-02-14/2026-02-22', '2026-05-01', '2026-09-01', '2026-09-02'] };
    expect(await pc.call('importHolidayNotice', file(forgetful)).catch((e: ApiError) => [e.code, e.reason, e.message])).toEqual([
      'bad_input',
      'bad_notice',
      expect.stringContaining('2026-04-30'),
    ]);
    expect(await pc.call('importHolidayNotice', { dataBase64: Buffer.from('không phải JSON').toString('base64') }).catch((e: ApiError) => e.reason)).toBe('bad_notice');
    expect((await pc.api.calendarStatus()).years[0].notice).toBeNull();

    // A notice that (hypothetically) also gives Monday 23 February off moves the deadline a day.
    const extended = { ...notice2026, daysOff: [...notice2026.daysOff, '2026-02-23'] };
    const status = await pc.api.importHolidayNotice(file(extended));
    expect(status.years[0]).toMatchObject({ year: 2026, notice: notice2026.title });
    expect(status.years[0].daysOff).toContain('2026-02-23');
    expect((await pc.api.conclusionsReminders()).map((r) => r.dueDay)).toEqual(['2026-03-02']);

    await pc.close();
    pc = await DesktopServices.open({ dataDir, now, seedDemo: false });
    expect((await pc.api.calendarStatus()).years[0].notice).toBe(notice2026.title);
    expect((await pc.api.conclusionsReminders()).map((r) => r.dueDay)).toEqual(['2026-03-02']);

    // From October the coming year's notice is expected.
    clock.t = Date.parse('2026-10-05T09:00:00+07:00');
    expect((await pc.api.calendarStatus()).missingNotice).toBe(2027);
    await pc.close();
    expect(fs.existsSync(dataDir)).toBe(true);
  });
});
