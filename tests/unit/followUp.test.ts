// What one briefing of a series assigns, the next one reviews: through the same API the renderer
// calls, on a real server, with the province's PC, two commune PCs and a hostile caller.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../main/api/contract';
import { DesktopServices } from '../../main/services/DesktopServices';
import { emptyItem } from '../../main/services/minutes/model';
import { type SfuServer, startSfuServer } from '../../sfu-server/src/SfuServer';
import { REVIEW_ITEM_TITLE } from '../../sfu-server/protocol/followUp';
import { certificatesOfOneCa } from '../support/pki';
import { TestClient } from '../support/sfuTestClient';
import { tempDirs } from '../support/tempDirs';
import { briefingDraft } from '../support/recordFixture';

const { temp, removeAll } = tempDirs();
const clock = { t: Date.parse('2026-12-04T07:00:00+07:00') };
const now = () => new Date(clock.t);
const at = (iso: string) => (clock.t = Date.parse(iso));

let server: SfuServer;
let province: DesktopServices;
let tanLap: DesktopServices;
let hoaBinh: DesktopServices;
const series = 'Giao ban tuần UBND tỉnh';
const first = briefingDraft({
  code: 'giaoban-tinh-tuan-49',
  title: 'Giao ban trực tuyến tuần 49',
  hostUnit: 'UBND tỉnh Thử Nghiệm',
  startsAt: '2026-12-04T07:30:00+07:00',
  regular: false,
  series,
  invitedPoints: ['Xã Tân Lập', 'Phường Hòa Bình'],
});

const codeOf = async (briefingCode: string, seat: string) => (await province.api.listInvites({ briefingCode })).find((i) => i.seat === seat)!.code;
const refusal = (pc: DesktopServices, method: string, input: unknown) => pc.call(method, input).then(() => null, (e: ApiError) => [e.code, e.reason]);

beforeAll(async () => {
  server = await startSfuServer({ host: '127.0.0.1', port: 0, mediaAddresses: [{ ip: '127.0.0.1' }], mediaPort: 0, workers: 1, dataDir: temp('sfu') }, { now });
  province = await DesktopServices.open({ dataDir: temp('province'), now, seedDemo: false, exportsDir: temp('exports') });
  tanLap = await DesktopServices.open({ dataDir: temp('tan-lap'), now, seedDemo: false });
  hoaBinh = await DesktopServices.open({ dataDir: temp('hoa-binh'), now, seedDemo: false });
  await province.api.saveOrganizerKey({ serverUrl: server.url, key: (await server.organizers.add('UBND tỉnh Thử Nghiệm')).key });
  await province.api.publishBriefing({ serverUrl: server.url, draft: first });
  for (const [pc, seat] of [[tanLap, 'Xã Tân Lập'], [hoaBinh, 'Phường Hòa Bình']] as const) {
    await pc.api.syncBriefings({ serverUrl: server.url, inviteCode: await codeOf(first.code, seat) });
    await pc.sync.settled();
  }
}, 60_000);

afterAll(async () => {
  for (const pc of [province, tanLap, hoaBinh] as (DesktopServices | undefined)[]) await pc?.close();
  await (server as SfuServer | undefined)?.close();
  removeAll();
});

describe('follow-up of a series', () => {
  it('tracks the assignments of signed minutes, each addressed to its meeting point', async () => {
    // The first briefing of a series has nothing to review.
    expect((await province.api.getBriefing({ code: first.code }))?.agenda.some((i) => i.review)).toBe(false);
    for (const seat of [first.hostUnit, 'Xã Tân Lập', 'Phường Hòa Bình']) {
      const client = await TestClient.connect(server.url);
      expect((await client.join(first.code, seat, { credential: await codeOf(first.code, seat) })).data.status).toBe('joined');
      client.close();
    }
    const { historyId } = await province.api.briefingJoined({ serverUrl: server.url, briefingCode: first.code, pointName: first.hostUnit });
    await province.api.briefingPresence({ historyId, points: ['Xã Tân Lập', 'Phường Hòa Bình'] });
    at('2026-12-04T09:00:00+07:00');
    await province.api.briefingLeft({ historyId });
    const attendance = await province.api.getAttendance({ briefingCode: first.code });
    await province.api.saveMinutes({
      baseRevision: 0,
      minutes: {
        briefingCode: first.code,
        items: [
          {
            ...emptyItem(),
            proceedings: 'Các xã báo cáo tiến độ.',
            assignments: [
              // Typed as the secretary types: no diacritics, other case.
              { unit: 'xa tan lap', task: 'Hoàn thành báo cáo giải ngân', deadline: '2026-12-09' },
              { unit: 'Phường Hòa Bình', task: 'Rà soát hộ nghèo', deadline: '2026-12-08' },
              { unit: 'Văn phòng UBND tỉnh', task: 'Tổng hợp ý kiến các xã', deadline: '2026-12-31' },
            ],
          },
          emptyItem(),
        ],
        attendance,
        cursor: null,
      },
    });
    const [secretary, chair] = certificatesOfOneCa(['Trần Thị Hương', 'Nguyễn Văn Thắng'], now());
    const keyOf = (who: typeof chair) => ({ type: 'pkcs12' as const, dataBase64: who.p12.toString('base64'), password: who.password });
    await province.api.signRecord({ briefingCode: first.code, kind: 'minutes', as: 'secretary', key: keyOf(secretary), imageBase64: null });
    const signed = await province.api.signRecord({ briefingCode: first.code, kind: 'minutes', as: 'chair', key: keyOf(chair), imageBase64: null });
    await province.api.distributeRecord({ serverUrl: server.url, sha256: signed.sha256 });

    const host = await province.api.listAssignments({ serverUrl: server.url });
    expect(host.assignments.map((a) => [a.point, a.unit, a.state, a.mine])).toEqual([
      ['Xã Tân Lập', 'xa tan lap', 'on_time', false],
      ['Phường Hòa Bình', 'Phường Hòa Bình', 'on_time', false],
      [null, 'Văn phòng UBND tỉnh', 'on_time', false],
    ]);
    // Each commune sees its own, and only its own.
    const own = await tanLap.api.listAssignments({ serverUrl: server.url });
    expect(own.assignments.map((a) => [a.task, a.mine])).toEqual([['Hoàn thành báo cáo giải ngân', true]]);
  });

  it("takes progress only from the assignee's seat", async () => {
    at('2026-12-07T10:00:00+07:00');
    const [forTanLap, forHoaBinh] = (await province.api.listAssignments({ serverUrl: server.url })).assignments;
    // Another commune's PC holds no code of Xã Tân Lập.
    expect(await refusal(hoaBinh, 'reportProgress', { serverUrl: server.url, id: forTanLap.id, note: 'xong', percent: 100, done: true, attachment: null })).toEqual(['server_refused', 'not_assignee']);
    // Nor does the server take it from the other commune's own code (a PC that forged the call).
    const hoaBinhCode = await codeOf(first.code, 'Phường Hòa Bình');
    const forged = await fetch(`${server.url.replace('ws', 'http')}/catalog/assignments/${forTanLap.id}/progress`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hoaBinhCode}`, 'content-type': 'application/json' },
      body: JSON.stringify({ note: 'xong', percent: 100, done: true, document: null }),
    });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('forbidden');

    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
    const reported = await tanLap.api.reportProgress({
      serverUrl: server.url,
      id: forTanLap.id,
      note: 'Đã gửi báo cáo',
      percent: 100,
      done: true,
      attachment: { name: 'bao-cao-giai-ngan.pdf', dataBase64: pdf.toString('base64') },
    });
    expect([reported.state, reported.progress.at(-1)?.by, reported.progress.at(-1)?.document?.name]).toEqual(['done', 'Xã Tân Lập', 'bao-cao-giai-ngan.pdf']);
    const hostView = (await province.api.listAssignments({ serverUrl: server.url })).assignments;
    expect(hostView.map((a) => a.state)).toEqual(['done', 'on_time', 'on_time']);

    // A point that reports in a loop is stopped with a reason, and what it reported stays.
    const tanLapCode = await codeOf(first.code, 'Xã Tân Lập');
    const report = () =>
      fetch(`${server.url.replace('ws', 'http')}/catalog/assignments/${forTanLap.id}/progress`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tanLapCode}`, 'content-type': 'application/json' },
        body: JSON.stringify({ note: 'cập nhật', percent: 100, done: true, document: null }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) statuses.push((await report()).status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(49);
    const stopped = await report();
    expect(stopped.status).toBe(429);
    expect(((await stopped.json()) as { error: { message: string } }).error.message).toMatch(/at most 50 progress reports/);
    expect((await tanLap.api.listAssignments({ serverUrl: server.url })).assignments[0].progress).toHaveLength(50);
    expect(forHoaBinh.point).toBe('Phường Hòa Bình');
  });

  it('opens the next briefing of the series with the review: one done, one late', async () => {
    const next = await province.api.draftNextInSeries({ briefingCode: first.code });
    expect([next.code, next.startsAt, next.series, next.agenda[0].title, next.agenda[0].review]).toEqual([
      'giaoban-tinh-tuan-50', '2026-12-11T07:30:00+07:00', series, REVIEW_ITEM_TITLE, true,
    ]);
    await province.api.publishBriefing({ serverUrl: server.url, draft: next });
    // The commune receives the next briefing with its new code and sees the review there.
    await tanLap.api.syncBriefings({ serverUrl: server.url, inviteCode: await codeOf(next.code, 'Xã Tân Lập') });
    await tanLap.sync.settled();
    at('2026-12-11T07:35:00+07:00');
    const review = await tanLap.api.seriesReview({ serverUrl: server.url, briefingCode: next.code });
    expect(review?.previous?.code).toBe(first.code);
    expect(review?.assignments.map((a) => [a.point ?? a.unit, a.state, a.lateWorkingDays])).toEqual([
      ['Xã Tân Lập', 'done', 0],
      // Due Tuesday 8 December, open on Friday 11: late by Wednesday, Thursday and Friday.
      ['Phường Hòa Bình', 'late', 3],
      ['Văn phòng UBND tỉnh', 'on_time', 0],
    ]);
    expect(review?.byUnit).toEqual([
      { unit: 'Phường Hòa Bình', done: 0, onTime: 0, late: 1 },
      { unit: 'Văn phòng UBND tỉnh', done: 0, onTime: 1, late: 0 },
      { unit: 'Xã Tân Lập', done: 1, onTime: 0, late: 0 },
    ]);
    // Reminders for the host: the late one is overdue.
    const reminders = await province.api.followUpReminders({ serverUrl: server.url });
    expect(reminders.map((r) => [r.kind, r.assignment.point])).toEqual([['overdue', 'Phường Hòa Bình']]);
  });

  it("writes the review into the next briefing's minutes", async () => {
    const code = 'giaoban-tinh-tuan-50';
    // The secretary's PC saw the review during the briefing; then the link dropped.
    await province.api.seriesReview({ serverUrl: server.url, briefingCode: code });
    const kept = await province.api.seriesReview({ serverUrl: 'ws://127.0.0.1:9', briefingCode: code });
    expect(kept?.assignments).toHaveLength(3);
    await province.api.saveMinutes({ baseRevision: 0, minutes: { briefingCode: code, items: [emptyItem(), emptyItem(), emptyItem()], attendance: [], cursor: null } });
    const { file } = await province.api.exportRecord({ briefingCode: code, kind: 'minutes', format: 'pdf' });
    const text = execFileSync('pdftotext', [file, '-']).toString().replace(/\s+/g, ' ');
    expect(text).toContain(REVIEW_ITEM_TITLE);
    expect(text).toContain('Quá hạn (chậm 3 ngày làm việc)');
    expect(text).toContain('Đã hoàn thành');
    expect(text).toContain('Hoàn thành báo cáo giải ngân');
  });
});
