// The secretary's and chair's work through the same API the renderer calls: attendance from who
// joined, minutes saved over a stale revision refused, export errors that lose nothing, signing,
// issuing to the points that attended, receiving there, and the conclusions reminder.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../main/api/contract';
import { DesktopServices } from '../../main/services/DesktopServices';
import { emptyItem } from '../../main/services/minutes/model';
import { type SfuServer, startSfuServer } from '../../sfu-server/src/SfuServer';
import { certificatesOfOneCa, selfMadeCertificate } from '../support/pki';
import { TestClient } from '../support/sfuTestClient';
import { tempDirs } from '../support/tempDirs';
import { briefingDraft } from '../support/recordFixture';

const { temp, removeAll } = tempDirs();

// The clock both PCs read; tests move it.
const clock = { t: Date.parse('2026-11-27T07:25:00+07:00') };
const now = () => new Date(clock.t);
const at = (iso: string) => (clock.t = Date.parse(iso));

let server: SfuServer;
let district: DesktopServices;
/** The district PC's Documents folder, where the browser-tab mode exports. */
let exportsDir: string;
let commune: DesktopServices;
const code = 'giaoban-tuan-48';

const draft = briefingDraft({
  code,
  title: 'Giao ban trực tuyến tuần 48',
  hostUnit: 'UBND huyện Đồng Tâm',
  startsAt: '2026-11-27T07:30:00+07:00',
  place: 'Phòng họp trực tuyến UBND huyện',
  regular: false,
  invitedPoints: ['UBND huyện', 'Xã Tân Lập', 'Xã Hòa Bình'],
});

beforeAll(async () => {
  server = await startSfuServer({ host: '127.0.0.1', port: 0, mediaAddresses: [{ ip: '127.0.0.1' }], mediaPort: 0, workers: 1, dataDir: temp('sfu') }, { now });
  exportsDir = temp('exports');
  district = await DesktopServices.open({ dataDir: temp('district'), now, seedDemo: false, exportsDir });
  commune = await DesktopServices.open({ dataDir: temp('commune'), now, seedDemo: false });
  await district.api.saveOrganizerKey({ serverUrl: server.url, key: (await server.organizers.add('UBND huyện Đồng Tâm')).key });
  await district.api.publishBriefing({ serverUrl: server.url, draft });
  await commune.api.syncBriefings({ serverUrl: server.url, inviteCode: await codeOf('Xã Tân Lập') });
  await commune.sync.settled();
}, 60_000);

const codeOf = async (seat: string) => (await district.api.listInvites({ briefingCode: code })).find((i) => i.seat === seat)!.code;

/** The points in the minutes' attendance join the briefing on the server, as they did that day:
 * two with their invite codes, one let in from the lobby by the chair. */
async function attend(): Promise<void> {
  const chair = await TestClient.connect(server.url);
  await chair.join(code, draft.hostUnit, { credential: await codeOf(draft.hostUnit) });
  const points = await Promise.all(['UBND huyện', 'Xã Tân Lập'].map(async (seat) => {
    const client = await TestClient.connect(server.url);
    expect((await client.join(code, seat, { credential: await codeOf(seat) })).data.status).toBe('joined');
    return client;
  }));
  const guest = await TestClient.connect(server.url);
  const waiting = await guest.join(code, 'Xã Ngoài Danh Sách');
  await chair.request('admit', { lobbyId: waiting.data.lobbyId });
  await guest.waitFor('admitted');
  expect((await guest.join(code, 'Xã Ngoài Danh Sách')).data.status).toBe('joined');
  [chair, guest, ...points].forEach((c) => c.close());
}

afterAll(async () => {
  // beforeAll may have stopped halfway.
  const opened: (DesktopServices | undefined)[] = [district, commune];
  for (const services of opened) await services?.close();
  await (server as SfuServer | undefined)?.close();
  removeAll();
});

describe('the records of a briefing', () => {
  it('fills attendance from who joined and left, keeping what the secretary noted', async () => {
    const { historyId } = await district.api.briefingJoined({ serverUrl: server.url, briefingCode: code, pointName: 'UBND huyện' });
    at('2026-11-27T07:31:00+07:00');
    await district.api.briefingPresence({ historyId, points: ['Xã Tân Lập'] });
    at('2026-11-27T08:05:00+07:00');
    await district.api.briefingPresence({ historyId, points: ['Xã Tân Lập', 'Xã Ngoài Danh Sách'] });
    at('2026-11-27T08:40:00+07:00');
    await district.api.briefingPresence({ historyId, points: ['Xã Ngoài Danh Sách'] });

    const attendance = await district.api.getAttendance({ briefingCode: code });
    expect(attendance.map((a) => [a.point, a.status, a.joinedAt, a.leftAt])).toEqual([
      ['UBND huyện', 'in_room', '2026-11-27T00:25:00.000Z', null],
      ['Xã Tân Lập', 'online', '2026-11-27T00:31:00.000Z', '2026-11-27T01:40:00.000Z'],
      ['Xã Hòa Bình', 'absent', null, null],
      ['Xã Ngoài Danh Sách', 'online', '2026-11-27T01:05:00.000Z', null],
    ]);

    const noted = attendance.map((a) => (a.point === 'Xã Hòa Bình' ? { ...a, absenceReason: 'Mất kết nối' } : a));
    const minutes = {
      briefingCode: code,
      items: [
        { ...emptyItem(), proceedings: 'Văn phòng báo cáo kết quả tuần.', conclusions: 'Các xã hoàn thành báo cáo trước thứ Hai.', startedAt: '2026-11-27T00:31:00.000Z', endedAt: '2026-11-27T00:55:00.000Z' },
        { ...emptyItem(), proceedings: 'Ban Chỉ huy quân sự báo cáo phương án ứng phó lũ quét.', startedAt: '2026-11-27T00:55:00.000Z', endedAt: '2026-11-27T01:35:00.000Z' },
      ],
      attendance: noted,
      cursor: { itemIndex: 1, field: 'proceedings' },
    };
    const { revision } = await district.api.saveMinutes({ minutes, baseRevision: 0 });
    expect(revision).toBe(1);
    const again = await district.api.getAttendance({ briefingCode: code });
    expect(again.find((a) => a.point === 'Xã Hòa Bình')?.absenceReason).toBe('Mất kết nối');
    await district.api.briefingLeft({ historyId });
  });

  it('refuses minutes saved over a revision another PC replaced, and keeps the stored ones', async () => {
    const saved = (await district.api.getMinutes({ briefingCode: code }))!;
    const stale = { ...saved.minutes, items: [{ ...saved.minutes.items[0], proceedings: 'bản sửa ở máy khác' }, saved.minutes.items[1]] };
    await district.api.saveMinutes({ minutes: saved.minutes, baseRevision: saved.revision });
    await expect(district.call('saveMinutes', { minutes: stale, baseRevision: saved.revision })).rejects.toMatchObject({ code: 'conflict', reason: 'minutes_conflict' });
    expect((await district.api.getMinutes({ briefingCode: code }))?.minutes.items[0].proceedings).toBe('Văn phòng báo cáo kết quả tuần.');
  });

  it('exports where the desktop decides, never where the page says, and says so clearly when it cannot write', async () => {
    const { file } = await district.api.exportRecord({ briefingCode: code, kind: 'minutes', format: 'docx' });
    expect(path.dirname(file)).toBe(exportsDir);
    expect(fs.statSync(file).size).toBeGreaterThan(3000);
    // A page that names a folder, or a driver library to load, is refused before anything runs.
    const folder = (await district.call('exportRecord', { briefingCode: code, kind: 'minutes', format: 'pdf', folder: '/etc' }).catch((e: ApiError) => e)) as ApiError;
    expect(folder.code).toBe('bad_input');
    const library = (await district.call('signRecord', { briefingCode: code, kind: 'minutes', as: 'secretary', key: { type: 'pkcs11', pin: '1234', library: '/tmp/bat-ky.so' }, imageBase64: null }).catch((e: ApiError) => e)) as ApiError;
    expect(library.code).toBe('bad_input');
    const badKind = (await district.call('exportRecord', { briefingCode: code, kind: 'pdf', format: 'pdf' }).catch((e: ApiError) => e)) as ApiError;
    expect(badKind.code).toBe('bad_input');

    // The installed app asks with the system's save dialog: a cancel writes nothing.
    const asked: string[] = [];
    const elsewhere = temp('chosen');
    for (const [answer, outcome] of [[null, 'cancelled'], [path.join(elsewhere, 'bien-ban.pdf'), 'written']] as const) {
      const pc = await DesktopServices.open({ dataDir: temp('dialog'), now, seedDemo: false, chooseExportFile: async (name) => (asked.push(name), answer) });
      await pc.api.saveMinutes({ minutes: (await district.api.getMinutes({ briefingCode: code }))!.minutes, baseRevision: 0 });
      await pc.api.syncBriefings({ serverUrl: server.url, inviteCode: await codeOf('Xã Tân Lập') });
      const result = await pc.call('exportRecord', { briefingCode: code, kind: 'minutes', format: 'pdf' }).then(
        () => 'written',
        (e: ApiError) => e.reason,
      );
      expect(result).toBe(outcome);
      await pc.close();
    }
    expect(asked[0]).toMatch(/\.pdf$/);
    expect(fs.existsSync(path.join(elsewhere, 'bien-ban.pdf'))).toBe(true);

    // sysfs refuses new files even to root: a Documents folder nobody may write in.
    const readOnly = await DesktopServices.open({ dataDir: temp('read-only'), now, seedDemo: false, exportsDir: '/sys/giao-ban' });
    await readOnly.api.syncBriefings({ serverUrl: server.url, inviteCode: await codeOf('Xã Tân Lập') });
    await readOnly.api.saveMinutes({ minutes: (await district.api.getMinutes({ briefingCode: code }))!.minutes, baseRevision: 0 });
    const refused = (await readOnly.call('exportRecord', { briefingCode: code, kind: 'minutes', format: 'pdf' }).catch((e: ApiError) => e)) as ApiError;
    expect([refused.code, refused.reason]).toEqual(['export_failed', 'read_only']);
    await readOnly.close();
    expect((await district.api.getMinutes({ briefingCode: code }))?.minutes.items).toHaveLength(2);
  });

  it('reminds the chair of the conclusions notice after 5 working days, until it is signed', async () => {
    // Friday 27 Nov: due Friday 4 Dec (5 working days later).
    at('2026-12-03T09:00:00+07:00');
    expect(await district.api.conclusionsReminders()).toEqual([
      { briefingCode: code, title: draft.title, briefingDay: '2026-11-27', dueDay: '2026-12-04', overdue: false },
    ]);
    at('2026-12-07T09:00:00+07:00');
    expect((await district.api.conclusionsReminders())[0].overdue).toBe(true);
  });

  it('the secretary signs, the chair countersigns, issued to the points that attended; the commune receives, finds and checks them', async () => {
    const [secretary, chair] = certificatesOfOneCa(['Trần Thị Hương', 'Nguyễn Văn Thắng'], now());
    const keyOf = (who: typeof chair) => ({ type: 'pkcs12' as const, dataBase64: who.p12.toString('base64'), password: who.password });
    const key = keyOf(chair);
    const refusal = (method: 'signRecord' | 'distributeRecord', input: unknown) => district.call(method, input).then(() => null, (e: ApiError) => [e.code, e.reason]);
    expect(await refusal('signRecord', { briefingCode: code, kind: 'minutes', as: 'secretary', key: { ...keyOf(secretary), password: 'sai' }, imageBase64: null })).toEqual(['signing_failed', 'wrong_pin']);
    // Decree 30's order: the chair cannot sign the minutes before the secretary (unless the host unit's rule says so).
    expect(await refusal('signRecord', { briefingCode: code, kind: 'minutes', as: 'chair', key, imageBase64: null })).toEqual(['export_failed', 'secretary_first']);
    expect(await refusal('signRecord', { briefingCode: code, kind: 'conclusions', as: 'secretary', key: keyOf(secretary), imageBase64: null })).toEqual(['export_failed', 'chair_signs_notice']);

    const bySecretary = await district.api.signRecord({ briefingCode: code, kind: 'minutes', as: 'secretary', key: keyOf(secretary), imageBase64: null });
    expect(bySecretary).toMatchObject({ awaitingChair: true, complete: false, signatures: [{ role: 'secretary', intact: true, signer: { name: 'Trần Thị Hương' } }] });
    // Not issued with the secretary's signature alone.
    expect(await refusal('distributeRecord', { serverUrl: server.url, sha256: bySecretary.sha256 })).toEqual(['export_failed', 'not_countersigned']);

    const signedMinutes = await district.api.signRecord({ briefingCode: code, kind: 'minutes', as: 'chair', key, imageBase64: null });
    expect(signedMinutes).toMatchObject({ awaitingChair: false, complete: true });
    expect(signedMinutes.signatures.map((s) => [s.role, s.intact, s.signer?.name])).toEqual([
      ['secretary', true, 'Trần Thị Hương'],
      ['chair', true, 'Nguyễn Văn Thắng'],
    ]);
    // The secretary's file lives on inside the countersigned one, not as a second record to issue.
    expect((await district.api.listRecords()).map((r) => r.sha256)).not.toContain(bySecretary.sha256);
    expect(signedMinutes.signature).toMatchObject({ intact: true, signer: { name: 'Nguyễn Văn Thắng' } });
    // The briefing's server stamped the signature (PAdES B-T): its time is the server's, not this PC's.
    expect(signedMinutes.signature).toMatchObject({ level: 'B-T', timestamp: { time: now().toISOString(), authority: expect.stringMatching(/^Giao Ban TSA/) } });
    const conclusions = await district.api.signRecord({ briefingCode: code, kind: 'conclusions', as: 'chair', key, imageBase64: null });
    expect(await district.api.conclusionsReminders()).toEqual([]);

    // The server sends records only to points it saw attend: before they join, it refuses.
    const early = (await district.call('distributeRecord', { serverUrl: server.url, sha256: signedMinutes.sha256 }).catch((e: ApiError) => e)) as ApiError;
    expect([early.code, early.reason]).toEqual(['publish_failed', 'not_attended']);
    expect(early.message).toContain('Xã Ngoài Danh Sách');
    await attend();
    const { recipients } = await district.api.distributeRecord({ serverUrl: server.url, sha256: signedMinutes.sha256 });
    expect(recipients).toEqual(['UBND huyện', 'Xã Tân Lập', 'Xã Ngoài Danh Sách']);
    await district.api.distributeRecord({ serverUrl: server.url, sha256: conclusions.sha256 });

    // The commune's administrator imported the CA that issued the chair's certificate.
    const imported = await commune.api.importTrustedAuthority({ dataBase64: Buffer.from(chair.caPem).toString('base64') });
    expect(imported.map((a) => a.name)).toEqual(['CA thử nghiệm Giao Ban']);
    await commune.api.syncBriefings({ serverUrl: server.url });
    await commune.sync.settled();
    const received = await commune.api.listRecords();
    expect(received.map((r) => [r.kind, r.origin, r.signature.intact, r.signature.signer?.name, r.signature.trust, r.signature.authority]).sort()).toEqual([
      ['conclusions', 'received', true, 'Nguyễn Văn Thắng', 'trusted', 'CA thử nghiệm Giao Ban'],
      ['minutes', 'received', true, 'Nguyễn Văn Thắng', 'trusted', 'CA thử nghiệm Giao Ban'],
    ]);
    expect(received.find((r) => r.kind === 'minutes')?.signatures.map((s) => [s.role, s.signer?.name, s.trust])).toEqual([
      ['secretary', 'Trần Thị Hương', 'trusted'],
      ['chair', 'Nguyễn Văn Thắng', 'trusted'],
    ]);

    // Someone with a certificate made in a minute, named like the chair, issues minutes too:
    // the commune sees them as signed but not trusted, with who issued the certificate.
    // (Signing alone, as the host unit's rule may allow the chair.)
    await district.api.saveProfile({ ...(await district.api.getProfile()), chairSignsMinutesAlone: true });
    const forged = selfMadeCertificate('Nguyễn Văn Thắng', now());
    const fake = await district.api.signRecord({ briefingCode: code, kind: 'minutes', as: 'chair', key: { type: 'pkcs12', dataBase64: forged.p12.toString('base64'), password: forged.password }, imageBase64: null });
    await district.api.distributeRecord({ serverUrl: server.url, sha256: fake.sha256 });
    await commune.api.syncBriefings({ serverUrl: server.url });
    await commune.sync.settled();
    const fakeAtCommune = (await commune.api.listRecords()).find((r) => r.sha256 === fake.sha256);
    expect(fakeAtCommune?.signature).toMatchObject({ intact: true, trust: 'untrusted', authority: null, signer: { name: 'Nguyễn Văn Thắng', issuer: 'Nguyễn Văn Thắng' } });
    // A file that is not a CA certificate is refused with the reason.
    const notCa = (await commune.call('importTrustedAuthority', { dataBase64: forged.p12.toString('base64') }).catch((e: ApiError) => e)) as ApiError;
    expect([notCa.code, notCa.reason]).toEqual(['bad_input', 'not_a_certificate']);
    const hits = await commune.api.searchLocal({ query: 'phuong an ung pho lu quet' });
    expect(hits.some((h) => h.title.includes('bien-ban'))).toBe(true);

    // A point that was absent gets nothing.
    const absent = await DesktopServices.open({ dataDir: temp('absent'), now, seedDemo: false });
    await absent.api.syncBriefings({ serverUrl: server.url, inviteCode: await codeOf('Xã Hòa Bình') });
    await absent.sync.settled();
    expect(await absent.api.listRecords()).toEqual([]);
    await absent.close();
  }, 60_000);
});
