// The server's Briefing owns who attended and when each item ran; the secretary's PC keeps the
// server's account. A secretary whose app restarts mid-briefing gets everything back from the
// first snapshot after rejoining, and minutes exported without the editor ever opened are right.
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProceedingsAccount } from '../../main/api/contract';
import { DesktopServices } from '../../main/services/DesktopServices';
import { emptyItem } from '../../main/services/minutes/model';
import { type SfuServer, startSfuServer } from '../../sfu-server/src/SfuServer';
import { briefingDraft } from '../support/recordFixture';
import { TestClient } from '../support/sfuTestClient';
import { tempDirs } from '../support/tempDirs';

const { temp, removeAll } = tempDirs();
const clock = { t: Date.parse('2026-11-27T07:25:00+07:00') };
const now = () => new Date(clock.t);
const later = (minutes: number) => (clock.t += minutes * 60_000);
const clients: TestClient[] = [];
let server: SfuServer | undefined;
const open: DesktopServices[] = [];

afterAll(async () => {
  clients.forEach((c) => c.close());
  await Promise.all(open.map((s) => s.close().catch(() => undefined)));
  await server?.close();
  removeAll();
});

/** What the app's signaling session hands the desktop (renderer/src/briefing/proceedingsRecorder.ts). */
const accountOf = (briefingCode: string, control: { seats: ProceedingsAccount['seats']; agendaTimes: ProceedingsAccount['agendaTimes']; endedAt?: string | null }): ProceedingsAccount => ({
  briefingCode,
  endedAt: control.endedAt ?? null,
  seats: control.seats.map(({ seat, role, invited, joinedAt, leftAt, absentReason, attendees }) => ({ seat, role, invited, joinedAt, leftAt, absentReason, attendees })),
  agendaTimes: control.agendaTimes,
});

describe('minutes from the server’s account of the briefing', () => {
  it('a secretary restarted mid-briefing gets attendance and item times back; the export is right without the editor', async () => {
    server = await startSfuServer({ host: '127.0.0.1', port: 0, mediaAddresses: [{ ip: '127.0.0.1' }], mediaPort: 0, workers: 1, dataDir: temp('sfu') }, { now });
    const code = 'giaoban-dien-bien';
    const draft = briefingDraft({
      code,
      title: 'Giao ban trực tuyến tuần 48',
      hostUnit: 'UBND huyện Đồng Tâm',
      startsAt: '2026-11-27T07:30:00+07:00',
      place: 'Phòng họp trực tuyến UBND huyện',
      regular: false,
      invitedPoints: ['Xã Tân Lập', 'Xã Hòa Bình', 'Xã Phú Sơn'],
    });
    const dataDir = temp('secretary');
    let secretaryPc = await DesktopServices.open({ dataDir, now, seedDemo: false, exportsDir: temp('exports') });
    open.push(secretaryPc);
    await secretaryPc.api.saveOrganizerKey({ serverUrl: server.url, key: (await server.organizers.add('UBND huyện Đồng Tâm')).key });
    await secretaryPc.api.publishBriefing({ serverUrl: server.url, draft });
    const invites = await secretaryPc.api.listInvites({ briefingCode: code });
    const codeOf = (seat: string) => invites.find((i) => i.seat === seat)!.code;
    const connect = async (seat: string) => {
      const client = await TestClient.connect(server!.url);
      clients.push(client);
      const joined = await client.join(code, seat, { credential: codeOf(seat) });
      expect(joined.ok).toBe(true);
      return { client, joined };
    };

    // 07:30 the chair opens item 1; Tân Lập and Phú Sơn join; the secretary's app records.
    later(5);
    const chair = await connect(draft.hostUnit);
    await chair.client.request('setAgendaItem', { index: 0 });
    const tanLap = await connect('Xã Tân Lập');
    const phuSon = await connect('Xã Phú Sơn');
    const secretarySeat = invites.find((i) => i.role === 'secretary')!.seat;
    const secretary = await connect(secretarySeat);
    await secretaryPc.api.recordProceedings(accountOf(code, secretary.joined.data.control));
    // The secretary typed the proceedings of item 1 (and nothing about attendance).
    const items = draft.agenda.map(() => emptyItem());
    items[0] = { ...items[0], proceedings: 'Phòng Tài chính báo cáo tiến độ giải ngân.' };
    await secretaryPc.api.saveMinutes({ minutes: { briefingCode: code, number: '', noticeNumber: '', items, attendance: [], cursor: null }, baseRevision: 0 });

    // The secretary's PC crashes. Meanwhile, 07:50: Phú Sơn's link is lost, the chair moves to item 2.
    secretary.client.close();
    await secretaryPc.close();
    later(20);
    phuSon.client.close();
    await chair.client.request('setAgendaItem', { index: 1 });
    later(10);

    // 08:00 the app starts again and the secretary rejoins: the first snapshot brings everything back.
    secretaryPc = await DesktopServices.open({ dataDir, now, seedDemo: false, exportsDir: temp('exports-2') });
    open.push(secretaryPc);
    const back = await connect(secretarySeat);
    await secretaryPc.api.recordProceedings(accountOf(code, back.joined.data.control));
    const minutes = (await secretaryPc.api.getMinutes({ briefingCode: code }))!.minutes;
    const byPoint = Object.fromEntries(minutes.attendance.map((a) => [a.point, a]));
    expect(byPoint['Xã Tân Lập']).toMatchObject({ status: 'online', joinedAt: '2026-11-27T00:30:00.000Z', leftAt: null });
    expect(byPoint['Xã Phú Sơn']).toMatchObject({ status: 'online', joinedAt: '2026-11-27T00:30:00.000Z' });
    expect(byPoint['Xã Phú Sơn'].leftAt).not.toBeNull();
    expect(byPoint['Xã Hòa Bình']).toMatchObject({ status: 'absent' });
    expect(minutes.items[0]).toMatchObject({ startedAt: '2026-11-27T00:30:00.000Z', endedAt: '2026-11-27T00:50:00.000Z', proceedings: 'Phòng Tài chính báo cáo tiến độ giải ngân.' });
    expect(minutes.items[1]).toMatchObject({ startedAt: '2026-11-27T00:50:00.000Z', endedAt: null });

    // Exported without the minutes editor ever opened on this PC: attendance comes from the server.
    const { file } = await secretaryPc.api.exportRecord({ briefingCode: code, kind: 'minutes', format: 'pdf' });
    const text = execFileSync('pdftotext', [file, '-']).toString().replace(/\s+/g, ' ');
    expect(text).toContain('Xã Tân Lập, dự trực tuyến');
    expect(text).toContain('Xã Hòa Bình, vắng mặt');
    tanLap.client.close();
  }, 60_000);
});
