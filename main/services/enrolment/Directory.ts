// The host unit's directory of meeting points: its communes, wards, special zones and departments
// in groups, imported once from the list it already keeps (CSV or XLSX) and remembered, so a
// briefing invites a whole group in one click. An import is all or nothing: a bad row is reported
// by its line, and nothing of that file is kept.
import { parse } from 'csv-parse/sync';
import { readSheet } from 'read-excel-file/node';
import { pointKindOf, type PointKind } from '../../api/hostLevel';
import { pointKey as pointKeyOf } from '../../../sfu-server/protocol/enrolment';
import type { Store } from '../store/Store';

export interface DirectoryPoint {
  name: string;
  group: string;
}

export class DirectoryImportError extends Error {
  constructor(
    message: string,
    /** "Dòng 7: …", one per bad row. */
    readonly lines: string[],
  ) {
    super(message);
  }
}

/** The group a point goes in when the file names none. */
const GROUP_OF_KIND: Record<PointKind, string> = {
  commune: 'Xã',
  ward: 'Phường',
  specialZone: 'Đặc khu',
  department: 'Sở, ban, ngành',
  village: 'Thôn, tổ dân phố',
  district: 'Huyện',
  province: 'Tỉnh, thành phố',
  other: 'Khác',
};

const MAX_ROWS = 2000;
const NAME_HEADERS = ['ten diem cau', 'diem cau', 'ten don vi', 'don vi', 'ten'];
const GROUP_HEADERS = ['nhom', 'loai', 'nhom diem cau'];

const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase().trim();

/** The rows of a CSV (UTF-8, comma or semicolon) or of an XLSX's first sheet, as text cells. */
async function rowsOf(fileName: string, bytes: Buffer): Promise<string[][]> {
  const isZip = bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  if (/\.xlsx$/i.test(fileName) || isZip) {
    try {
      return (await readSheet(bytes)).map((row) => row.map((cell) => (cell === null ? '' : cell instanceof Date ? cell.toISOString() : String(cell))));
    } catch (error) {
      throw new DirectoryImportError(`Không đọc được tệp Excel: ${(error as Error).message}`, []);
    }
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const delimiter = (text.split('\n')[0].match(/;/g)?.length ?? 0) > (text.split('\n')[0].match(/,/g)?.length ?? 0) ? ';' : ',';
  try {
    const rows: string[][] = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: false });
    return rows;
  } catch (error) {
    throw new DirectoryImportError(`Không đọc được tệp CSV: ${(error as Error).message}`, []);
  }
}

/** The points of a file, checked row by row; throws with every bad line at once. */
export async function readDirectoryFile(fileName: string, bytes: Buffer): Promise<DirectoryPoint[]> {
  const rows = await rowsOf(fileName, bytes);
  if (rows.length > MAX_ROWS + 1) throw new DirectoryImportError(`Tệp có ${rows.length} dòng, quá ${MAX_ROWS} điểm cầu.`, []);
  const header = (rows[0] ?? []).map(fold);
  const nameAt = header.findIndex((h) => NAME_HEADERS.includes(h));
  const groupAt = header.findIndex((h) => GROUP_HEADERS.includes(h));
  const hasHeader = nameAt >= 0;
  const points: DirectoryPoint[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, index) => {
    if (hasHeader && index === 0) return;
    const line = index + 1;
    const cells = row.map((c) => c.normalize('NFC').trim());
    if (cells.every((c) => c === '')) return;
    const name = cells.at(hasHeader ? nameAt : 0) ?? '';
    const group = (groupAt >= 0 ? cells.at(groupAt) : hasHeader ? '' : cells.at(1)) ?? '';
    if (!name) return void problems.push(`Dòng ${line}: thiếu tên điểm cầu.`);
    if (name.length > 80) return void problems.push(`Dòng ${line}: tên điểm cầu dài quá 80 ký tự.`);
    if (group.length > 60) return void problems.push(`Dòng ${line}: tên nhóm dài quá 60 ký tự.`);
    const key = pointKeyOf(name);
    const earlier = seen.get(key);
    if (earlier !== undefined) return void problems.push(`Dòng ${line}: “${name}” trùng với dòng ${earlier}.`);
    seen.set(key, line);
    points.push({ name, group: group || GROUP_OF_KIND[pointKindOf(name)] });
  });
  if (problems.length) throw new DirectoryImportError(`Tệp có ${problems.length} dòng lỗi; chưa nhập điểm cầu nào. Sửa các dòng sau rồi nhập lại.`, problems);
  if (!points.length) throw new DirectoryImportError('Tệp không có điểm cầu nào: cần một cột “Tên điểm cầu” (và cột “Nhóm” nếu có).', []);
  return points;
}

export class Directory {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
  ) {}

  async list(): Promise<DirectoryPoint[]> {
    return this.store.all<DirectoryPoint>('SELECT name, grp AS "group" FROM directory_point ORDER BY grp, name');
  }

  /** Adds the file's points and updates the group of those known; one transaction. */
  async import(fileName: string, bytes: Buffer): Promise<{ added: number; updated: number; total: number }> {
    const points = await readDirectoryFile(fileName, bytes);
    const known = new Set((await this.store.all<{ point_key: string }>('SELECT point_key FROM directory_point')).map((r) => r.point_key));
    const at = this.now().toISOString();
    await this.store.transaction(async (tx) => {
      for (const point of points) {
        await tx.run(
          `INSERT INTO directory_point (point_key, name, grp, added_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (point_key) DO UPDATE SET name = excluded.name, grp = excluded.grp`,
          [pointKeyOf(point.name), point.name, point.group, at],
        );
      }
    });
    const updated = points.filter((p) => known.has(pointKeyOf(p.name))).length;
    return { added: points.length - updated, updated, total: (await this.list()).length };
  }

  async remove(names: string[]): Promise<void> {
    for (const name of names) await this.store.run('DELETE FROM directory_point WHERE point_key = ?', [pointKeyOf(name)]);
  }
}
