// Attendance for the minutes, from who actually joined: each invited meeting point present
// online, present in the room, or absent (with the reason the secretary gives).
import type { Attendance } from './model';

export interface PresenceEvent {
  point: string;
  type: 'join' | 'leave';
  at: string;
}

export function deriveAttendance(
  invited: string[],
  events: PresenceEvent[],
  options: { inRoom?: string[]; absenceReasons?: Record<string, string>; people?: Record<string, string> } = {},
): Attendance[] {
  const ordered = [...events].sort((a, b) => a.at.localeCompare(b.at));
  const seen = new Map<string, { joinedAt: string; leftAt: string | null }>();
  for (const event of ordered) {
    const entry = seen.get(event.point);
    if (event.type === 'join') {
      if (!entry) seen.set(event.point, { joinedAt: event.at, leftAt: null });
      else entry.leftAt = null; // rejoined: present until a later leave
    } else if (entry) entry.leftAt = event.at;
  }
  const inRoom = new Set(options.inRoom ?? []);
  // Invited points first, in the invitation's order; then any point that joined uninvited.
  const points = [...new Set([...invited, ...seen.keys()])];
  return points.map((point): Attendance => {
    const presence = seen.get(point);
    const people = options.people?.[point] ?? '';
    if (inRoom.has(point)) {
      return { point, status: 'in_room', people, absenceReason: '', joinedAt: presence?.joinedAt ?? null, leftAt: presence?.leftAt ?? null };
    }
    if (presence) return { point, status: 'online', people, absenceReason: '', joinedAt: presence.joinedAt, leftAt: presence.leftAt };
    return { point, status: 'absent', people, absenceReason: options.absenceReasons?.[point] ?? '', joinedAt: null, leftAt: null };
  });
}
