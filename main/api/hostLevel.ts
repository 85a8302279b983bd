// Who hosts a briefing and who joins it, read from the names people type ("UBND tỉnh Bình
// Nguyên", "UBND phường Đông Hải", "Sở Nội vụ"). Since 1 July 2025 a province briefs its communes,
// wards, special zones and departments directly and a commune briefs its villages; a district
// still appears in older records. The wording of forms, hints and documents follows from here,
// so nothing says "district" or "township" unless the host is one.
import { unitKey } from '../../sfu-server/protocol/followUp';

export type HostLevel = 'province' | 'commune' | 'department' | 'district' | 'other';

/** The kinds of meeting point a roll call and a directory group by. */
export const POINT_KINDS = ['commune', 'ward', 'specialZone', 'department', 'village', 'district', 'province', 'other'] as const;
export type PointKind = (typeof POINT_KINDS)[number];

const COMMITTEE = /^(?:ubnd|uy ban nhan dan)\s+/;

/** What a unit is, from its name as typed (case, diacritics and "UBND" or not, all alike). */
export function pointKindOf(name: string): PointKind {
  const key = unitKey(name).replace(/^diem cau\s+/, '');
  const unit = key.replace(COMMITTEE, '');
  if (/^xa\b|^thi tran\b/.test(unit)) return 'commune';
  if (/^phuong\b/.test(unit)) return 'ward';
  if (/^dac khu\b/.test(unit)) return 'specialZone';
  if (/^(?:huyen|quan|thi xa)\b/.test(unit)) return 'district';
  // After the reform a "thành phố" with a People's Committee is a centrally run city: a province.
  if (/^(?:tinh|thanh pho)\b/.test(unit)) return 'province';
  // "Ban" (a board) and "bản" (a highland village) fold alike: the typed accent tells them apart.
  const village = /^bản\b/iu.test(name.normalize('NFC').trim());
  if (!village && /^(?:so|ban|van phong|thanh tra|cong an|bo chi huy|kho bac|chi cuc|bao hiem xa hoi)\b/.test(key)) return 'department';
  if (/^(?:thon|ap|ban|lang|bon|buon|khom|to dan pho|khu pho|khu dan cu)\b/.test(unit)) return 'village';
  return 'other';
}

export function hostLevelOf(hostUnit: string): HostLevel {
  const kind = pointKindOf(hostUnit);
  if (kind === 'province') return 'province';
  if (kind === 'commune' || kind === 'ward' || kind === 'specialZone') return 'commune';
  if (kind === 'department') return 'department';
  if (kind === 'district') return 'district';
  return 'other';
}

export interface HostWording {
  level: HostLevel;
  /** Who joins such a host's briefing, as a phrase: "các xã, phường, đặc khu và các sở, ban, ngành". */
  points: string;
  /** An example of one point's name, for the hints of forms. */
  pointExample: string;
  /** The usual chair and secretary of such a host, for the hints of forms. */
  chairExample: string;
  secretaryExample: string;
  /** The place line of an invitation, with the host's own name. */
  place: string;
  /** Who signs a conclusions notice for such a host by default ("CHỦ TỊCH", "GIÁM ĐỐC"). */
  signerPosition: string;
}

/** The host unit's name without "UBND", in its usual case: "tỉnh Bình Nguyên". */
function unitName(hostUnit: string): string {
  return hostUnit.normalize('NFC').trim().replace(/^(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+/iu, '');
}

/** The host's kind word only ("tỉnh", "phường"), for "Chủ tịch UBND tỉnh". */
function kindWord(hostUnit: string): string {
  const name = unitName(hostUnit);
  return /^(?:thành phố|đặc khu|thị trấn|thị xã)/iu.exec(name)?.[0] ?? name.split(/\s+/)[0];
}

const VI: Record<HostLevel, Pick<HostWording, 'points' | 'pointExample'>> = {
  province: { points: 'các xã, phường, đặc khu và các sở, ban, ngành', pointExample: 'UBND xã Tân Lập, UBND phường Đông Hải, Sở Nội vụ' },
  commune: { points: 'các thôn, tổ dân phố và bộ phận chuyên môn', pointExample: 'Thôn Đồng Chùa, Tổ dân phố số 3, Văn phòng HĐND và UBND' },
  department: { points: 'các phòng, đơn vị trực thuộc và các xã, phường', pointExample: 'Phòng Tổ chức cán bộ, UBND xã Tân Lập' },
  district: { points: 'các xã, thị trấn', pointExample: 'UBND xã Tân Lập, UBND thị trấn Tân Phong' },
  other: { points: 'các đơn vị dự họp', pointExample: 'UBND xã Tân Lập, Sở Nội vụ' },
};

const EN: Record<HostLevel, Pick<HostWording, 'points' | 'pointExample'>> = {
  province: { points: 'the communes, wards, special zones and provincial departments', pointExample: 'UBND xã Tân Lập, UBND phường Đông Hải, Sở Nội vụ' },
  commune: { points: "the commune's villages, residential groups and offices", pointExample: 'Thôn Đồng Chùa, Tổ dân phố số 3' },
  department: { points: "the department's offices and the communes and wards", pointExample: 'Phòng Tổ chức cán bộ, UBND xã Tân Lập' },
  district: { points: 'the communes and townships', pointExample: 'UBND xã Tân Lập, UBND thị trấn Tân Phong' },
  other: { points: 'the units attending', pointExample: 'UBND xã Tân Lập, Sở Nội vụ' },
};

export function hostWording(hostUnit: string, language: 'vi' | 'en' = 'vi'): HostWording {
  const level = hostLevelOf(hostUnit);
  const words = (language === 'en' ? EN : VI)[level];
  const host = hostUnit.normalize('NFC').trim() || (language === 'en' ? 'the host unit' : 'đơn vị chủ trì');
  const kind = kindWord(hostUnit);
  const headOfDepartment = level === 'department';
  const committee = level !== 'other' || /^(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s/iu.test(host);
  const signerPosition = headOfDepartment ? 'GIÁM ĐỐC' : committee ? 'CHỦ TỊCH' : 'THỦ TRƯỞNG CƠ QUAN';
  if (language === 'en') {
    return {
      level,
      ...words,
      chairExample: headOfDepartment ? 'Director' : `Chairman of ${host}`,
      secretaryExample: headOfDepartment ? 'Chief of office' : `Chief of office of ${host}`,
      place: `Online meeting room of ${host}, linked to ${words.points}`,
      signerPosition,
    };
  }
  return {
    level,
    ...words,
    chairExample: headOfDepartment ? 'Giám đốc Sở' : level === 'other' ? 'Thủ trưởng cơ quan' : `Chủ tịch UBND ${kind}`,
    secretaryExample: headOfDepartment ? 'Chánh Văn phòng Sở' : level === 'commune' ? 'Công chức Văn phòng – Thống kê' : level === 'other' ? 'Chánh Văn phòng' : `Chánh Văn phòng UBND ${kind}`,
    place: `Phòng họp trực tuyến ${host}, kết nối tới điểm cầu ${words.points}`,
    signerPosition,
  };
}

/** A unit's own name without "UBND" and its kind: "UBND xã Tân Lập" → "Tân Lập", for a tile's
 * letter (200 tiles all lettered "U" tell nobody anything). Other names are left whole. */
export function ownName(name: string): string {
  const short = name
    .normalize('NFC')
    .trim()
    .replace(/^(?:điểm cầu\s+)?(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+/iu, '')
    .replace(/^(?:xã|phường|đặc khu|thị trấn|thị xã|huyện|quận|tỉnh|thành phố)\s+/iu, '');
  return short || name;
}
