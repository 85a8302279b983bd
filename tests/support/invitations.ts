// Publishes a briefing on a running server, as the district's Prepare screen does, and returns
// the invite codes the server issued: the chair's, the secretary's and one per meeting point.
import { briefingDraft } from './recordFixture';

export interface Invites {
  chairSeat: string;
  chair: string;
  secretarySeat: string;
  secretary: string;
  /** Seat name → invite code. */
  points: Record<string, string>;
}

export const CHAIR_SEAT = 'UBND huyện Sơn Hà';

export function httpBase(serverUrl: string): string {
  return serverUrl.replace(/^ws/, 'http');
}

export async function publishInvites(serverUrl: string, code: string, points: string[], options: { chairSeat?: string } = {}): Promise<Invites> {
  const chairSeat = options.chairSeat ?? CHAIR_SEAT;
  const draft = briefingDraft({ code, hostUnit: chairSeat, invitedPoints: points, startsAt: new Date(Date.now() + 3600_000).toISOString() });
  const response = await fetch(`${httpBase(serverUrl)}/catalog/briefings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(draft),
  });
  if (response.status !== 201) throw new Error(`publishing ${code} failed: ${response.status} ${await response.text()}`);
  const { credentials } = (await response.json()) as { credentials: { seat: string; role: string; code: string }[] };
  const of = (role: string) => credentials.find((c) => c.role === role)!;
  return {
    chairSeat,
    chair: of('chair').code,
    secretarySeat: of('secretary').seat,
    secretary: of('secretary').code,
    points: Object.fromEntries(credentials.filter((c) => c.role === 'point').map((c) => [c.seat, c.code])),
  };
}
