// The minutes learn from the chairing: floor turns become speakers with their time, closed votes
// become vote results on their item, the officials a point listed fill its attendance row.
import { describe, expect, it } from 'vitest';
import { Minutes, emptyItem } from '../../main/services/minutes/model';
import type { ControlState } from '../../sfu-server/protocol';
import { withChairing } from '../../renderer/src/minutes/fromChairing';

const minutes = (): Minutes =>
  Minutes.parse({
    briefingCode: 'giaoban-tuan-48',
    items: [emptyItem(), { ...emptyItem(), speakers: [{ name: 'Xã Phú Sơn', unit: 'UBND xã', summary: 'Đề nghị hỗ trợ kinh phí' }] }],
    attendance: [
      { point: 'Xã Tân Lập', status: 'online', people: '', absenceReason: '', joinedAt: null, leftAt: null },
      { point: 'Xã Phú Sơn', status: 'online', people: 'Trần Văn An, Phó Chủ tịch', absenceReason: '', joinedAt: null, leftAt: null },
    ],
    cursor: null,
  });

const seat = (name: string, attendees: ControlState['seats'][number]['attendees'] = []) => ({
  seatId: name === 'Xã Tân Lập' ? 'tan-lap-01' : 'phu-son-01', seat: name, role: 'point' as const, invited: true, state: 'present' as const, peerId: null, joinedAt: null, leftAt: null, absentReason: null, attendees, rollCallAnsweredAt: null, audioOnly: false,
});

const control: ControlState = {
  locked: false,
  endedAt: null,
  seats: [seat('Xã Tân Lập', [{ name: 'Lê Văn Bình', position: 'Chủ tịch', unit: 'UBND xã Tân Lập' }]), seat('Xã Phú Sơn', [{ name: 'Ai đó', position: '', unit: '' }])],
  lobby: [], lobbyCount: 0,
  floor: { mode: 'briefing', speaker: { seatId: 'tan-lap-01', seat: 'Xã Tân Lập', agendaIndex: 1, startedAt: '2026-11-23T01:20:00.000Z', endedAt: null }, queue: [] },
  rollCall: null,
  vote: null,
  votes: [
    { id: 'v1', question: 'Thông qua kế hoạch?', options: ['Tán thành', 'Không tán thành', 'Ý kiến khác'], agendaIndex: 0, openedAt: '2026-11-23T01:05:00.000Z', closedAt: '2026-11-23T01:06:00.000Z', voted: [], counts: [30, 2, 5] },
  ],
  turns: [
    { seatId: 'tan-lap-01', seat: 'Xã Tân Lập', agendaIndex: 0, startedAt: '2026-11-23T01:00:00.000Z', endedAt: '2026-11-23T01:03:00.000Z' },
    { seatId: 'tan-lap-01', seat: 'Xã Tân Lập', agendaIndex: 0, startedAt: '2026-11-23T01:07:00.000Z', endedAt: '2026-11-23T01:09:00.000Z' },
    { seatId: 'phu-son-01', seat: 'Xã Phú Sơn', agendaIndex: 1, startedAt: '2026-11-23T01:10:00.000Z', endedAt: '2026-11-23T01:12:00.000Z' },
  ],
  agendaTimes: [],
};

describe('minutes from the chairing', () => {
  it('adds who spoke on each item and for how long, the votes and the officials, and keeps what the secretary typed', () => {
    const filled = withChairing(minutes(), control);
    expect(filled.items[0].speakers).toEqual([{ name: 'Xã Tân Lập', unit: 'Xã Tân Lập', summary: '(5 phút)' }]);
    expect(filled.items[0].votes).toEqual([{ question: 'Thông qua kế hoạch?', yes: 30, no: 2, abstain: 5 }]);
    // Already written by the secretary: left as it is. A turn still going on is not counted yet.
    expect(filled.items[1].speakers).toEqual(minutes().items[1].speakers);
    expect(filled.attendance[0].people).toBe('Lê Văn Bình, Chủ tịch, UBND xã Tân Lập');
    expect(filled.attendance[1].people).toBe('Trần Văn An, Phó Chủ tịch');
    // Running it again adds nothing twice.
    expect(withChairing(filled, control)).toEqual(filled);
  });
});
