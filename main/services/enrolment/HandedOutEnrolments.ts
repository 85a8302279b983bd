// On the host unit's PC: enrolling the directory's points with its server (with its organizer
// key) and keeping the codes the server issued, which it shows only once, so the sheet can be
// printed again; the sheet itself as PDF or CSV.
import fs from 'node:fs';
import path from 'node:path';
import { pointKey } from '../../../sfu-server/protocol/enrolment';
import { ApiError } from '../../api/contract';
import { callCatalog } from '../catalog/CatalogClient';
import type { OrganizerKeys } from '../OrganizerKeys';
import type { Store } from '../store/Store';
import type { Directory } from './Directory';
import { type SheetRow, enrolmentSheetCsv, enrolmentSheetPdf } from './enrolmentSheet';

export interface EnrolledPoint {
  point: string;
  group: string;
  /** When this PC enrolled it with that server; null if not yet. */
  enrolledAt: string | null;
}

export class HandedOutEnrolments {
  constructor(
    private readonly store: Store,
    private readonly directory: Directory,
    private readonly organizerKeys: OrganizerKeys,
    private readonly invitationServer: (serverUrl: string) => Promise<{ serverUrl: string; caFingerprint: string | null }>,
    private readonly now: () => Date,
  ) {}

  /** The directory's points and which of them are enrolled with this server from this PC. */
  async list(serverUrl: string): Promise<EnrolledPoint[]> {
    const issued = new Map((await this.rows(serverUrl)).map((r) => [r.point_key, r.issued_at]));
    return (await this.directory.list()).map((p) => ({ point: p.name, group: p.group, enrolledAt: issued.get(pointKey(p.name)) ?? null }));
  }

  /** Enrols the named points (all of the directory's without a code yet, by default). */
  async enrol(serverUrl: string, points: string[] | null, renew: boolean): Promise<{ issued: number; already: string[] }> {
    const key = await this.organizerKeys.keyFor(serverUrl);
    if (!key) throw new ApiError('bad_input', 'enrolling needs the host unit key of this server', 'no_organizer_key');
    const wanted = points ?? (await this.list(serverUrl)).filter((p) => renew || p.enrolledAt === null).map((p) => p.point);
    if (!wanted.length) return { issued: 0, already: [] };
    const answer = await callCatalog(serverUrl, 'enrolPoints', { params: {}, token: key, body: { points: wanted, renew }, timeoutMs: 30_000 });
    const at = this.now().toISOString();
    for (const { point, code } of answer.issued) {
      await this.store.run(
        `INSERT INTO issued_enrolment (server_url, point_key, point, code, issued_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (server_url, point_key) DO UPDATE SET point = excluded.point, code = excluded.code, issued_at = excluded.issued_at`,
        [serverUrl, pointKey(point), point, code, at],
      );
    }
    return { issued: answer.issued.length, already: answer.already };
  }

  /** Withdraws the point's code on the server; this PC forgets it (a renewal issues a new one). */
  async revoke(serverUrl: string, point: string): Promise<{ revoked: boolean }> {
    const key = await this.organizerKeys.keyFor(serverUrl);
    if (!key) throw new ApiError('bad_input', 'revoking needs the host unit key of this server', 'no_organizer_key');
    const answer = await callCatalog(serverUrl, 'revokeEnrolment', { params: {}, token: key, body: { point } });
    await this.store.run('DELETE FROM issued_enrolment WHERE server_url = ? AND point_key = ?', [serverUrl, pointKey(point)]);
    return answer;
  }

  /** Writes the sheet of every code this PC holds for the server; returns where. */
  async sheet(serverUrl: string, format: 'pdf' | 'csv', chooseFile: (name: string) => Promise<string | null>): Promise<{ path: string | null; points: number }> {
    const groups = new Map((await this.directory.list()).map((p) => [pointKey(p.name), p.group]));
    const rows: SheetRow[] = (await this.rows(serverUrl)).map((r) => ({ point: r.point, group: groups.get(r.point_key) ?? '', code: r.code }));
    if (!rows.length) throw new ApiError('not_found', 'no point is enrolled with this server from this PC yet', 'nothing_enrolled');
    rows.sort((a, b) => a.group.localeCompare(b.group, 'vi') || a.point.localeCompare(b.point, 'vi'));
    const server = await this.invitationServer(serverUrl);
    const organizer = (await this.organizerKeys.organizerFor(serverUrl))?.organizer ?? '';
    const header = { organizer, serverUrl: server.serverUrl, caFingerprint: server.caFingerprint, issuedAt: this.now().toISOString() };
    const bytes = format === 'pdf' ? await enrolmentSheetPdf(header, rows) : enrolmentSheetCsv(header, rows);
    const target = await chooseFile(`Ma dang ky diem cau.${format}`);
    if (!target) return { path: null, points: rows.length };
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.writeFile(target, bytes);
    return { path: target, points: rows.length };
  }

  private rows(serverUrl: string) {
    return this.store.all<{ point_key: string; point: string; code: string; issued_at: string }>('SELECT point_key, point, code, issued_at FROM issued_enrolment WHERE server_url = ? ORDER BY point', [serverUrl]);
  }
}
