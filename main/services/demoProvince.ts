// The meeting points of the first-start demo: a fictional province with about a hundred communes,
// wards and special zones plus its departments, as a province briefs since the two-tier reform.
// Names are generated from common place-name syllables, so no real province is copied.

export interface DemoProvince {
  name: string;
  communes: number;
  wards: number;
  specialZones: number;
}

const FIRST = ['Tân', 'Hòa', 'Phú', 'Đông', 'Tây', 'Nam', 'Bắc', 'An', 'Bình', 'Thạnh', 'Vĩnh', 'Hưng', 'Minh', 'Quang', 'Trung', 'Thuận', 'Long', 'Phước', 'Xuân', 'Hồng'];
const SECOND = ['Lập', 'Sơn', 'Xuân', 'Lạc', 'Thành', 'Phong', 'Hà', 'Mỹ', 'Lộc', 'Thịnh', 'Hải', 'Điền', 'Khánh', 'Tiến', 'Hiệp', 'Yên', 'Dương', 'Châu'];
const ISLANDS = ['Hòn Ngọc', 'Cồn Cát', 'Bãi Ngang'];

/** The departments and provincial bodies that join a province's weekly briefing. */
export const PROVINCE_DEPARTMENTS = [
  'Sở Nội vụ', 'Sở Tài chính', 'Sở Tư pháp', 'Sở Xây dựng', 'Sở Y tế', 'Sở Giáo dục và Đào tạo', 'Sở Nông nghiệp và Môi trường',
  'Sở Công Thương', 'Sở Khoa học và Công nghệ', 'Sở Văn hóa, Thể thao và Du lịch', 'Thanh tra tỉnh', 'Công an tỉnh', 'Bộ Chỉ huy Quân sự tỉnh',
];

/** Two-syllable names, each once, in a fixed order that mixes the syllables like a real list. */
function placeNames(count: number, skip: number): string[] {
  const names: string[] = [];
  for (let i = skip; names.length < count && i < FIRST.length * SECOND.length; i++) {
    const first = FIRST[(i * 7) % FIRST.length];
    const second = SECOND[(i * 11 + Math.floor(i / FIRST.length)) % SECOND.length];
    const name = `${first} ${second}`;
    if (first !== second && !names.includes(name)) names.push(name);
  }
  return names;
}

export function demoProvincePoints(province: DemoProvince): string[] {
  const all = placeNames(province.communes + province.wards, 0);
  return [
    ...all.slice(0, province.communes).map((n) => `UBND xã ${n}`),
    ...all.slice(province.communes).map((n) => `UBND phường ${n}`),
    ...ISLANDS.slice(0, province.specialZones).map((n) => `UBND đặc khu ${n}`),
    ...PROVINCE_DEPARTMENTS,
  ];
}
