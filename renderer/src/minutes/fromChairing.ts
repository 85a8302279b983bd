// What the chairing already knows goes into the minutes by itself: who spoke on which item and
// for how long (the floor turns), the votes with their counts, and the officials each point
// listed. Only what the secretary has not written yet is added; nothing typed is overwritten.
import type { ControlState } from '../../../sfu-server/protocol';
import type { Minutes } from '../../../main/api/contract';

const minutesOf = (from: string, to: string) => Math.max(1, Math.round((Date.parse(to) - Date.parse(from)) / 60_000));

export function withChairing(minutes: Minutes, control: ControlState): Minutes {
  const items = minutes.items.map((item, index) => {
    let speakers = item.speakers;
    // Turns still going on are not counted yet.
    const ended = control.turns.flatMap((t) => (t.agendaIndex === index && t.endedAt ? [{ ...t, endedAt: t.endedAt }] : []));
    for (const turn of ended) {
      if (speakers.some((s) => s.name === turn.seat)) continue;
      const total = ended.filter((t) => t.seatId === turn.seatId).reduce((sum, t) => sum + minutesOf(t.startedAt, t.endedAt), 0);
      speakers = [...speakers, { name: turn.seat, unit: turn.seat, summary: `(${total} phút)` }];
    }
    let votes = item.votes;
    for (const vote of control.votes) {
      if (vote.agendaIndex !== index || !vote.counts || votes.some((v) => v.question === vote.question)) continue;
      const [yes = 0, no = 0, ...others] = vote.counts;
      votes = [...votes, { question: vote.question, yes, no, abstain: others.reduce((a, b) => a + b, 0) }];
    }
    return speakers === item.speakers && votes === item.votes ? item : { ...item, speakers, votes };
  });
  const attendance = minutes.attendance.map((row) => {
    const seat = control.seats.find((s) => s.seat === row.point);
    if (row.people.trim() || !seat?.attendees.length) return row;
    return { ...row, people: seat.attendees.map((a) => [a.name, a.position, a.unit].filter(Boolean).join(', ')).join('\n') };
  });
  return { ...minutes, items, attendance };
}
