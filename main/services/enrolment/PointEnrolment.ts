// A meeting point enrolled with its host unit's server: the enrolment code, entered once, is
// kept per server; at every sync it brings the point's invite code for each briefing of that
// host unit that invites it, kept as if the operator had entered it (joining needs no typing).
import { ENROLMENT_PREFIX, type EnrolledInvites } from '../../../sfu-server/protocol/enrolment';
import { CatalogRequestError, callCatalog } from '../catalog/CatalogClient';
import type { InviteCodes } from '../InviteCodes';
import type { Store } from '../store/Store';

export interface EnrolmentStatus {
  serverUrl: string;
  point: string;
  organizer: string;
  savedAt: string;
}

export const isEnrolmentCode = (code: string) => code.trim().toUpperCase().startsWith(ENROLMENT_PREFIX);

export class PointEnrolment {
  constructor(
    private readonly store: Store,
    private readonly invites: InviteCodes,
    private readonly now: () => Date,
  ) {}

  /** Asks the server what the code opens; kept only if the server knows it (a wrong code throws
   * the server's refusal and nothing is kept). */
  async enrol(serverUrl: string, code: string): Promise<EnrolledInvites> {
    const answer = await this.fetchInvites(serverUrl, code.trim());
    await this.store.run(
      `INSERT INTO point_enrolment (server_url, code, point, organizer, saved_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (server_url) DO UPDATE SET code = excluded.code, point = excluded.point, organizer = excluded.organizer, saved_at = excluded.saved_at`,
      [serverUrl, code.trim(), answer.point, answer.organizer, this.now().toISOString()],
    );
    return answer;
  }

  async status(): Promise<EnrolmentStatus[]> {
    return this.store.all<EnrolmentStatus>('SELECT server_url AS serverUrl, point, organizer, saved_at AS savedAt FROM point_enrolment ORDER BY saved_at');
  }

  async forget(serverUrl: string): Promise<void> {
    await this.store.run('DELETE FROM point_enrolment WHERE server_url = ?', [serverUrl]);
  }

  /** The invite codes the enrolment opens on this server now, kept for joining and syncing;
   * nothing when this PC is not enrolled there. A withdrawn enrolment is forgotten. */
  async refresh(serverUrl: string): Promise<void> {
    const row = await this.store.get<{ code: string }>('SELECT code FROM point_enrolment WHERE server_url = ?', [serverUrl]);
    if (!row) return;
    try {
      await this.fetchInvites(serverUrl, row.code);
    } catch (error) {
      // Revoked by the host unit: not asked with again (the operator is told at the next entry).
      if (error instanceof CatalogRequestError && error.code === 'withdrawn') await this.forget(serverUrl);
      else throw error;
    }
  }

  private async fetchInvites(serverUrl: string, code: string): Promise<EnrolledInvites> {
    const answer = await callCatalog(serverUrl, 'enrolledInvites', { params: {}, token: code, timeoutMs: 10_000 });
    for (const invite of answer.invites) {
      // A code the operator entered for that briefing stays the one used.
      const held = await this.invites.forJoining(invite.briefingCode);
      if (held?.origin !== 'entered' || held.code === invite.code) await this.invites.keepEntered(invite.briefingCode, invite.seat, 'point', invite.code);
    }
    return answer;
  }
}
