// The chair's roll call of a province: 200 points found by a name typed without diacritics,
// counted by state, filtered by state and kind of unit, with the points in trouble first.
import { describe, expect, it } from 'vitest';
import { groupsIn, rollCallCounts, rollCallRows } from '../../renderer/src/chairing/rollCallView';
import { demoProvincePoints } from '../../main/services/demoProvince';
import type { LinkHealth, SeatInfo } from '../../sfu-server/protocol';

const names = demoProvincePoints({ name: 'Bình Nguyên', communes: 153, wards: 30, specialZones: 2 });
function seat(name: string, i: number, patch: Partial<SeatInfo> = {}): SeatInfo {
  return {
    seatId: `s${i}`, seat: name, role: 'point', invited: true, state: 'present', peerId: `p${i}`, joinedAt: '2026-12-07T00:30:00.000Z',
    leftAt: null, absentReason: null, attendees: [], rollCallAnsweredAt: null, audioOnly: false, ...patch,
  };
}
const seats: SeatInfo[] = [
  seat('UBND tỉnh Bình Nguyên', 1000, { role: 'chair' }),
  seat('Chánh Văn phòng UBND tỉnh', 1001, { role: 'secretary' }),
  ...names.map((name, i) =>
    seat(name, i, i < 20 ? { state: 'not_joined', peerId: null, joinedAt: null } : i < 23 ? { state: 'reconnecting' } : i < 25 ? { state: 'absent', absentReason: 'Mất điện', peerId: null } : {}),
  ),
];
const poor: LinkHealth = { rttMs: 900, lossPct: 12, kbpsUp: 100, kbpsDown: 200 };
const links: Record<string, LinkHealth> = { s100: poor, s101: poor };

describe("the chair's roll call of 200 points", () => {
  it('counts every state at once', () => {
    expect(seats).toHaveLength(200);
    expect(rollCallCounts(seats, links)).toEqual({ invited: 200, present: 175, not_joined: 20, reconnecting: 3, absent: 2, weak: 2, answered: 0 });
  });

  it('finds a commune typed without diacritics, in any case, with or without "UBND"', () => {
    const target = names.find((n) => n.startsWith('UBND xã Đông'))!;
    const typed = target.replace('UBND xã ', '').normalize('NFD').replace(/\p{M}/gu, '').replace('Đ', 'D').toLowerCase();
    const found = rollCallRows(seats, links, { query: typed, state: 'all', group: 'all' });
    expect(found.map((s) => s.seat)).toContain(target);
    expect(found.every((s) => s.seat.normalize('NFD').replace(/\p{M}/gu, '').replace(/Đ/g, 'D').toLowerCase().includes(typed))).toBe(true);
    expect(rollCallRows(seats, links, { query: 'khong co diem cau nay', state: 'all', group: 'all' })).toEqual([]);
  });

  it('puts the points in trouble first: reconnecting, then not joined, then a weak link, then the rest', () => {
    const rows = rollCallRows(seats, links, { query: '', state: 'all', group: 'all' });
    expect(rows.slice(0, 3).map((s) => s.state)).toEqual(['reconnecting', 'reconnecting', 'reconnecting']);
    expect(rows.slice(3, 23).every((s) => s.state === 'not_joined')).toBe(true);
    expect(rows.slice(23, 25).map((s) => s.seatId).sort()).toEqual(['s100', 's101']);
    expect(rows.slice(-2).map((s) => s.state)).toEqual(['absent', 'absent']);
  });

  it('filters by state and by kind of unit, and offers only the groups present', () => {
    expect(rollCallRows(seats, links, { query: '', state: 'weak', group: 'all' })).toHaveLength(2);
    expect(rollCallRows(seats, links, { query: '', state: 'not_joined', group: 'all' })).toHaveLength(20);
    const wards = rollCallRows(seats, links, { query: '', state: 'all', group: 'ward' });
    expect(wards).toHaveLength(30);
    expect(wards.every((s) => s.seat.startsWith('UBND phường'))).toBe(true);
    expect(groupsIn(seats)).toEqual(['host', 'commune', 'ward', 'specialZone', 'department']);
  });
});
