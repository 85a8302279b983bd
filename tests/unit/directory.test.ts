// The province's directory of meeting points and their enrolment, through the desktop API: a list
// imported from CSV or XLSX (all rows or none, bad rows named by line), every point enrolled in one
// call, the printable sheet read back by pdftotext, and a commune that enters its code once and
// then receives the next briefing that invites it with no code sent.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import writeXlsxFile from 'write-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DesktopServices } from '../../main/services/DesktopServices';
import { demoProvincePoints } from '../../main/services/demoProvince';
import type { SfuServer } from '../../sfu-server/src/SfuServer';
import { briefingDraft } from '../support/recordFixture';
import { TestClient } from '../support/sfuTestClient';
import { tempDirs } from '../support/tempDirs';
import { startTestServer } from '../support/testServer';

const { temp, removeAll } = tempDirs();
let server: SfuServer;
let province: DesktopServices;
let commune: DesktopServices;
const exportsDir = temp('exports');
const POINTS = demoProvincePoints({ name: 'Bình Nguyên', communes: 126, wards: 28, specialZones: 2 });
const csv = (rows: string[][]) => ({ name: 'diem-cau.csv', dataBase64: Buffer.from(rows.map((r) => r.join(',')).join('\n')).toString('base64') });

beforeAll(async () => {
  server = await startTestServer();
  province = await DesktopServices.open({ dataDir: temp('province'), seedDemo: false, exportsDir });
  commune = await DesktopServices.open({ dataDir: temp('commune'), seedDemo: false });
  await province.api.saveOrganizerKey({ serverUrl: server.url, key: (await server.organizers.add('UBND tỉnh Bình Nguyên')).key });
});
afterAll(async () => {
  await province.close();
  await commune.close();
  await server.close();
  removeAll();
});

describe("the province's directory", () => {
  it('refuses a list with bad rows whole, naming each bad line, and keeps nothing of it', async () => {
    const answer = await province.api.importDirectory(csv([['Tên điểm cầu', 'Nhóm'], ['UBND xã Tân Lập', 'Xã'], ['', 'Xã'], ['UBND xa tan lap', 'Xã'], ['x'.repeat(81), '']]));
    expect(answer).toMatchObject({ ok: false });
    if (answer.ok) return;
    expect(answer.lines).toEqual(['Dòng 3: thiếu tên điểm cầu.', 'Dòng 4: “UBND xa tan lap” trùng với dòng 2.', 'Dòng 5: tên điểm cầu dài quá 80 ký tự.']);
    expect(await province.api.listDirectory()).toEqual([]);
  });

  it('imports a province of 169 points from an XLSX list, grouping those without a group by their name', async () => {
    const sheet = await writeXlsxFile([['Tên điểm cầu', 'Nhóm'], ...POINTS.map((name) => [name, name.startsWith('Sở') ? 'Sở, ngành' : ''])].map((row) => row.map((value) => ({ value })))).toBuffer();
    const answer = await province.api.importDirectory({ name: 'Danh sach diem cau.xlsx', dataBase64: sheet.toString('base64') });
    expect(answer).toEqual({ ok: true, added: POINTS.length, updated: 0, total: POINTS.length });
    const listed = await province.api.listDirectory();
    expect(listed.filter((p) => p.group === 'Xã')).toHaveLength(126);
    expect(listed.filter((p) => p.group === 'Phường')).toHaveLength(28);
    expect(listed.filter((p) => p.group === 'Đặc khu')).toHaveLength(2);
    // Ten "Sở …" grouped in the file; the provincial police, inspectorate and military command by their names.
    expect(listed.filter((p) => p.group === 'Sở, ngành')).toHaveLength(10);
    expect(listed.filter((p) => p.group === 'Sở, ban, ngành').map((p) => p.name).sort()).toEqual(['Bộ Chỉ huy Quân sự tỉnh', 'Công an tỉnh', 'Thanh tra tỉnh']);
    // The same list again, as CSV with semicolons: nothing doubled.
    const again = await province.api.importDirectory({ name: 'lai.csv', dataBase64: Buffer.from(`Điểm cầu;Nhóm\n${POINTS[0]};Xã\n`).toString('base64') });
    expect(again).toEqual({ ok: true, added: 0, updated: 1, total: POINTS.length });
  });
});

describe('enrolment from the directory', () => {
  it('enrols every point in one call and prints a sheet with every code, as PDF and CSV', async () => {
    expect(await province.api.enrolPoints({ serverUrl: server.url, points: null, renew: false })).toEqual({ issued: POINTS.length, already: [] });
    // Asked again: nobody is enrolled twice.
    expect((await province.api.enrolPoints({ serverUrl: server.url, points: null, renew: false })).issued).toBe(0);
    const listed = await province.api.listEnrolled({ serverUrl: server.url });
    expect(listed.every((p) => p.enrolledAt !== null)).toBe(true);
    const pdf = await province.api.exportEnrolmentSheet({ serverUrl: server.url, format: 'pdf' });
    expect(pdf.points).toBe(POINTS.length);
    const text = execFileSync('pdftotext', [pdf.path!, '-']).toString();
    const codes = [...text.matchAll(/GBDC-[0-9A-Z-]+/g)].map((m) => m[0]);
    expect(new Set(codes).size).toBe(POINTS.length);
    expect(text).toContain('UBND đặc khu Hòn Ngọc');
    const list = fs.readFileSync((await province.api.exportEnrolmentSheet({ serverUrl: server.url, format: 'csv' })).path!, 'utf8');
    expect(list.split('\r\n').filter(Boolean)).toHaveLength(POINTS.length + 1);
    expect([...list.matchAll(/,(GBDC-[0-9A-Z-]+),/g)].map((m) => m[1]).sort()).toEqual([...codes].sort());
    expect(path.dirname(pdf.path!)).toBe(exportsDir);
  });

  it('lets a commune enter its code once; the next briefing that invites it arrives and opens with no code sent', async () => {
    const list = fs.readFileSync(path.join(exportsDir, 'Ma dang ky diem cau.csv'), 'utf8');
    const code = new RegExp(`${POINTS[5]},Xã,(GBDC-[0-9A-Z-]+)`).exec(list)![1];
    const first = await commune.api.syncBriefings({ serverUrl: server.url, inviteCode: code });
    expect(first.enrolled).toEqual({ point: POINTS[5], organizer: 'UBND tỉnh Bình Nguyên', briefings: 0 });
    expect(await commune.api.pointEnrolments()).toMatchObject([{ serverUrl: server.url, point: POINTS[5] }]);
    // A wrong enrolment code is refused and changes nothing.
    await expect(commune.call('syncBriefings', { serverUrl: server.url, inviteCode: 'GBDC-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF' })).rejects.toMatchObject({ code: 'server_refused' });
    expect(await commune.api.pointEnrolments()).toHaveLength(1);

    const draft = briefingDraft({ code: 'giao-ban-tuan-49', hostUnit: 'UBND tỉnh Bình Nguyên', invitedPoints: POINTS.slice(0, 10), startsAt: new Date(Date.now() + 3 * 86_400_000).toISOString() });
    await province.api.publishBriefing({ serverUrl: server.url, draft });
    await commune.api.syncBriefings({ serverUrl: server.url });
    expect((await commune.api.listBriefings()).map((b) => b.code)).toContain('giao-ban-tuan-49');
    const held = await commune.api.inviteForJoining({ briefingCode: 'giao-ban-tuan-49' });
    expect(held).toMatchObject({ seat: POINTS[5], role: 'point' });
    const client = await TestClient.connect(server.url);
    try {
      expect((await client.join('giao-ban-tuan-49', 'máy xã', { credential: held!.code })).data).toMatchObject({ status: 'joined', seat: POINTS[5] });
    } finally {
      client.close();
    }
  });

  it('withdraws a leaked code from the province PC: the commune is out, and a renewed code brings it back', async () => {
    const held = (await commune.api.inviteForJoining({ briefingCode: 'giao-ban-tuan-49' }))!;
    expect(await province.api.revokeEnrolment({ serverUrl: server.url, point: POINTS[5] })).toEqual({ revoked: true });
    await commune.api.syncBriefings({ serverUrl: server.url });
    expect(await commune.api.pointEnrolments()).toEqual([]);
    const client = await TestClient.connect(server.url);
    try {
      expect((await client.join('giao-ban-tuan-49', 'máy xã', { credential: held.code })).error).toMatchObject({ reason: 'invite_withdrawn' });
    } finally {
      client.close();
    }
    expect((await province.api.listEnrolled({ serverUrl: server.url })).find((p) => p.point === POINTS[5])?.enrolledAt).toBeNull();
    expect(await province.api.enrolPoints({ serverUrl: server.url, points: [POINTS[5]], renew: true })).toEqual({ issued: 1, already: [] });
    const list = fs.readFileSync((await province.api.exportEnrolmentSheet({ serverUrl: server.url, format: 'csv' })).path!, 'utf8');
    const renewed = new RegExp(`${POINTS[5]},Xã,(GBDC-[0-9A-Z-]+)`).exec(list)![1];
    expect((await commune.api.syncBriefings({ serverUrl: server.url, inviteCode: renewed })).enrolled).toMatchObject({ point: POINTS[5], briefings: 1 });
  });
});
