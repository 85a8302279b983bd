// A province enrols its communes once; every later briefing that invites a commune reaches it
// with no new code. Against a real server: what the enrolled point gets, what it may not do with
// its enrolment code, and what revoking and renewing do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SfuServer } from '../../sfu-server/src/SfuServer';
import { httpBase } from '../support/invitations';
import { briefingDraft } from '../support/recordFixture';
import { TestClient } from '../support/sfuTestClient';
import { startTestServer } from '../support/testServer';

let server: SfuServer;
let base: string;
let provinceKey: string;
let otherKey: string;
const clients: TestClient[] = [];

const call = async (token: string, method: string, path: string, body?: unknown) => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: await response.json().catch(() => null) };
};
const enrol = (points: string[], renew = false) => call(provinceKey, 'POST', '/catalog/enrolments', { points, renew });
const invitesOf = (code: string) => call(code, 'GET', '/catalog/enrolment/invites');
const publish = (key: string, code: string, invitedPoints: string[]) =>
  call(key, 'POST', '/catalog/briefings', briefingDraft({ code, hostUnit: 'UBND tỉnh Bình Nguyên', invitedPoints, startsAt: new Date(Date.now() + 86_400_000).toISOString() }));
async function joinWith(briefingCode: string, credential: string) {
  const client = await TestClient.connect(server.url);
  clients.push(client);
  return client.join(briefingCode, 'tên gõ tùy ý', { credential });
}

beforeAll(async () => {
  server = await startTestServer();
  base = httpBase(server.url);
  provinceKey = (await server.organizers.add('UBND tỉnh Bình Nguyên')).key;
  otherKey = (await server.organizers.add('UBND tỉnh Khác')).key;
});
afterAll(async () => {
  clients.forEach((c) => c.close());
  await server.close();
});

describe('enrolling the points of a directory', () => {
  it('gives each point one code, shown once; enrolling again leaves it alone, renewing replaces it', async () => {
    const first = await enrol(['UBND xã Tân Lập', 'UBND phường Đông Hải', 'Sở Nội vụ', 'UBND xã Tân Lập']);
    expect(first.status).toBe(200);
    expect(first.body.issued.map((i: { point: string }) => i.point)).toEqual(['UBND xã Tân Lập', 'UBND phường Đông Hải', 'Sở Nội vụ']);
    expect(first.body.issued.every((i: { code: string }) => /^GBDC-/.test(i.code))).toBe(true);
    // "Xã Tân Lập" without UBND, or typed without diacritics, is the same point.
    expect((await enrol(['xa tan lap'])).body).toEqual({ issued: [], already: ['xa tan lap'] });
    expect((await call(provinceKey, 'GET', '/catalog/enrolments')).body.map((e: { point: string }) => e.point)).toEqual(['Sở Nội vụ', 'UBND phường Đông Hải', 'UBND xã Tân Lập']);
    // Only an organizer enrols: a point's code cannot.
    const code = first.body.issued[0].code as string;
    expect((await call(code, 'POST', '/catalog/enrolments', { points: ['UBND xã Giả Mạo'] })).status).toBe(403);
  });
});

describe('an enrolled point', () => {
  let tanLap: string;
  beforeAll(async () => {
    tanLap = (await enrol(['UBND xã Tân Lập'], true)).body.issued[0].code;
    expect((await publish(provinceKey, 'giao-ban-tuan-50', ['UBND xã Tân Lập', 'UBND xã Hòa Bình'])).status).toBe(201);
    expect((await publish(provinceKey, 'hop-chuyen-de', ['UBND phường Đông Hải'])).status).toBe(201);
    expect((await publish(otherKey, 'tinh-khac', ['UBND xã Tân Lập'])).status).toBe(201);
  });

  it('gets its own invite code for each briefing of its host unit that invites it, the same each time', async () => {
    const asked = await invitesOf(tanLap);
    expect(asked.status).toBe(200);
    expect(asked.body).toMatchObject({ point: 'UBND xã Tân Lập', organizer: 'UBND tỉnh Bình Nguyên' });
    expect(asked.body.invites.map((i: { briefingCode: string; seat: string }) => [i.briefingCode, i.seat])).toEqual([['giao-ban-tuan-50', 'UBND xã Tân Lập']]);
    expect((await invitesOf(tanLap)).body.invites[0].code).toBe(asked.body.invites[0].code);
    // That code opens the seat and the briefing, like a code sent by the province.
    const invite = asked.body.invites[0].code as string;
    expect((await joinWith('giao-ban-tuan-50', invite)).data).toMatchObject({ status: 'joined', seat: 'UBND xã Tân Lập' });
    expect((await call(invite, 'GET', '/catalog/briefings/giao-ban-tuan-50')).status).toBe(200);
  });

  it("is let in with the enrolment code typed as the invite code, only into its own host unit's briefings", async () => {
    const briefing = 'giao-ban-tuan-51';
    await publish(provinceKey, briefing, ['Xã Tân Lập']);
    expect((await joinWith(briefing, tanLap)).data).toMatchObject({ status: 'joined', seat: 'Xã Tân Lập' });
    const elsewhere = await joinWith('tinh-khac', tanLap);
    expect(elsewhere.error).toMatchObject({ code: 'bad_credential' });
  });

  it('opens nothing else with its enrolment code, and a made-up one opens nothing', async () => {
    const briefing = await call(tanLap, 'GET', '/catalog/briefings/giao-ban-tuan-50');
    expect(briefing.status).toBe(403);
    expect(briefing.body.error.message).toMatch(/invite codes/);
    expect((await invitesOf('GBDC-0000-0000-0000-0000-0000-0000')).status).toBe(401);
  });

  it('loses the briefing a new version no longer invites it to, and has it back when invited again', async () => {
    const invite = (await invitesOf(tanLap)).body.invites.find((i: { briefingCode: string }) => i.briefingCode === 'giao-ban-tuan-50').code as string;
    await publish(provinceKey, 'giao-ban-tuan-50', ['UBND xã Hòa Bình']);
    expect((await invitesOf(tanLap)).body.invites.map((i: { briefingCode: string }) => i.briefingCode)).not.toContain('giao-ban-tuan-50');
    expect((await joinWith('giao-ban-tuan-50', invite)).error).toMatchObject({ code: 'bad_credential', reason: 'invite_withdrawn' });
    await publish(provinceKey, 'giao-ban-tuan-50', ['UBND xã Hòa Bình', 'UBND xã Tân Lập']);
    expect((await invitesOf(tanLap)).body.invites.map((i: { code: string }) => i.code)).toContain(invite);
  });

  it('is shut out everywhere when the province revokes it, and back in with a renewed code', async () => {
    const invite = (await invitesOf(tanLap)).body.invites[0];
    expect((await call(provinceKey, 'POST', '/catalog/enrolments/revoke', { point: 'Xã Tân Lập' })).body).toEqual({ revoked: true });
    expect((await invitesOf(tanLap)).body.error.code).toBe('withdrawn');
    expect((await joinWith(invite.briefingCode, invite.code)).error).toMatchObject({ reason: 'invite_withdrawn' });
    const renewed = (await enrol(['UBND xã Tân Lập'])).body.issued[0].code as string;
    expect(renewed).not.toBe(tanLap);
    expect((await invitesOf(renewed)).body.invites.length).toBeGreaterThan(0);
  });
});
