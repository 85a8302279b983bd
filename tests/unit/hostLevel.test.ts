// The wording follows who hosts: a province briefs communes, wards, special zones and departments;
// a commune its villages; a department signs as its director. Nothing says district unless the
// host is one (older records).
import { describe, expect, it } from 'vitest';
import { hostLevelOf, hostWording, ownName, pointKindOf } from '../../main/api/hostLevel';
import { conclusionsDocument } from '../../main/services/records/recordDocument';
import { briefingFixture, minutesFixture } from '../support/recordFixture';

describe('the host level', () => {
  it('is read from the host unit as typed: with or without "UBND", diacritics, or composed characters', () => {
    expect(hostLevelOf('UBND tỉnh Bình Nguyên')).toBe('province');
    expect(hostLevelOf('Ủy ban nhân dân Thành phố Hồ Chí Minh')).toBe('province');
    expect(hostLevelOf('ubnd tinh binh nguyen')).toBe('province');
    expect(hostLevelOf('UBND phường Đông Hải'.normalize('NFD'))).toBe('commune');
    expect(hostLevelOf('UBND đặc khu Hòn Ngọc')).toBe('commune');
    expect(hostLevelOf('Sở Nội vụ tỉnh Bình Nguyên')).toBe('department');
    expect(hostLevelOf('Ủy ban nhân dân huyện Sơn Hà')).toBe('district');
    expect(hostLevelOf('Công ty Cổ phần An Phát')).toBe('other');
  });

  it('sorts meeting points into communes, wards, special zones, departments and villages', () => {
    expect(['UBND xã Tân Lập', 'Phường Đông Hải', 'Đặc khu Hòn Ngọc', 'Sở Y tế', 'Ban Dân tộc', 'Bản Phiêng Luông', 'Tổ dân phố số 3', 'Điểm cầu xã Hòa Bình', 'Thị trấn Tân Phong'].map(pointKindOf)).toEqual([
      'commune', 'ward', 'specialZone', 'department', 'department', 'village', 'village', 'commune', 'commune',
    ]);
  });
});

describe('the wording for each host', () => {
  it('names what a province briefs, and never a district or township', () => {
    const province = hostWording('UBND tỉnh Bình Nguyên');
    expect(province.place).toBe('Phòng họp trực tuyến UBND tỉnh Bình Nguyên, kết nối tới điểm cầu các xã, phường, đặc khu và các sở, ban, ngành');
    expect(province.chairExample).toBe('Chủ tịch UBND tỉnh');
    const everything = Object.values(province).join(' ');
    expect(everything).not.toMatch(/huyện|thị trấn/);
    expect(Object.values(hostWording('UBND tỉnh Bình Nguyên', 'en')).join(' ')).not.toMatch(/district|township/i);
  });

  it('names villages for a commune, offices for a department, and keeps a district its own words', () => {
    expect(hostWording('UBND xã Tân Lập').points).toBe('các thôn, tổ dân phố và bộ phận chuyên môn');
    expect(hostWording('UBND xã Tân Lập').chairExample).toBe('Chủ tịch UBND xã');
    expect(hostWording('UBND đặc khu Hòn Ngọc').chairExample).toBe('Chủ tịch UBND đặc khu');
    expect(hostWording('Sở Nội vụ').chairExample).toBe('Giám đốc Sở');
    expect(hostWording('UBND huyện Sơn Hà').points).toBe('các xã, thị trấn');
    expect(hostWording('UBND thành phố Hải Cảng').place).toContain('các xã, phường, đặc khu');
  });

  it("signs a department's conclusions notice as its director and a committee's as its chairman", () => {
    const signer = (hostUnit: string) => conclusionsDocument({ ...briefingFixture, hostUnit }, minutesFixture(), new Date('2026-11-24T03:00:00Z')).signatures.right.title;
    expect(signer('Sở Nội vụ tỉnh Bình Nguyên')).toBe('GIÁM ĐỐC');
    expect(signer('UBND tỉnh Bình Nguyên')).toBe('CHỦ TỊCH');
    expect(signer('UBND phường Đông Hải')).toBe('CHỦ TỊCH');
    expect(signer('Trung tâm Chuyển đổi số')).toBe('THỦ TRƯỞNG CƠ QUAN');
  });
});

describe("a unit's own name", () => {
  it('drops "UBND" and the kind, so 200 tiles are not all lettered U', () => {
    expect(['UBND xã Tân Lập', 'Ủy ban nhân dân phường Đông Hải', 'UBND đặc khu Hòn Ngọc', 'Sở Nội vụ', 'UBND'].map(ownName)).toEqual(['Tân Lập', 'Đông Hải', 'Hòn Ngọc', 'Sở Nội vụ', 'UBND']);
  });
});
