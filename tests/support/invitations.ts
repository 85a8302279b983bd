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
  /** Province server (relay seat) name → invite code. */
  relays: Record<string, string>;
}

export const CHAIR_SEAT = 'UBND huyện Sơn Hà';

export function httpBase(serverUrl: string): string {
  return serverUrl.replace(/^ws/, 'http');
}

/** A server process with the organizer key its console printed, or a server in this process
 * (an organizer is added to it on first use). */
export type PublishTarget = { url: string; organizerKey: string } | { url: string; organizers: { add(name: string): Promise<{ key: string }> } };
const keys = new WeakMap<object, Promise<string>>();

export function organizerKeyOf(target: PublishTarget): Promise<string> {
  if ('organizerKey' in target) return Promise.resolve(target.organizerKey);
  let key = keys.get(target);
  if (!key) {
    key = target.organizers.add('UBND thử nghiệm').then((o) => o.key);
    keys.set(target, key);
  }
  return key;
}

/** Publishes with an organizer key, as the host unit's Prepare screen does. */
export async function publishInvites(target: PublishTarget, code: string, points: string[], options: { chairSeat?: string; servers?: string[] } = {}): Promise<Invites> {
  const serverUrl = target.url;
  const chairSeat = options.chairSeat ?? CHAIR_SEAT;
  const draft = { ...briefingDraft({ code, hostUnit: chairSeat, invitedPoints: points, startsAt: new Date(Date.now() + 3600_000).toISOString() }), ...(options.servers ? { invitedServers: options.servers } : {}) };
  const response = await fetch(`${httpBase(serverUrl)}/catalog/briefings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await organizerKeyOf(target)}` },
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
    relays: Object.fromEntries(credentials.filter((c) => c.role === 'relay').map((c) => [c.seat, c.code])),
  };
}
