// The secretary's corrections to attendance stand against the server's account: a status she set
// is not reverted by the next snapshot, and a duplicate row she left out stays out of the papers.
import { describe, expect, it } from 'vitest';
import type { ProceedingsAccount } from '../../main/api/contract';
import { attendanceFromAccount } from '../../main/services/minutes/Proceedings';
import { minutesDocument } from '../../main/services/records/recordDocument';
import { briefingFixture, minutesFixture } from '../support/recordFixture';

const seat = (name: string, joinedAt: string | null, invited = true): ProceedingsAccount['seats'][number] => ({
  seat: name, role: 'point', invited, joinedAt, leftAt: null, absentReason: null, attendees: [],
});
const account: ProceedingsAccount = {
  briefingCode: briefingFixture.code,
  endedAt: null,
  agendaTimes: [],
  seats: [seat('Xã Tân Lập', '2026-11-23T00:31:00.000Z'), seat('Xã Phú Sơn', null), seat('UBND xã Tân Lập (2)', '2026-11-23T00:32:00.000Z', false)],
};

describe('attendance the secretary corrects', () => {
  it('keeps her status and her exclusions against the server', () => {
    const first = attendanceFromAccount(briefingFixture.invitedPoints, account, { inRoom: ['UBND huyện'], typed: [] });
    expect(first.find((a) => a.point === 'UBND xã Tân Lập (2)')?.status).toBe('online');
    const typed = first.map((a) =>
      a.point === 'Xã Tân Lập' ? { ...a, status: 'absent' as const, absenceReason: 'Chỉ kết nối thử, không dự họp', corrected: true } : a.point === 'UBND xã Tân Lập (2)' ? { ...a, excluded: true } : a,
    );
    // The next snapshot from the server says the same as before: her rows stand.
    const again = attendanceFromAccount(briefingFixture.invitedPoints, account, { inRoom: ['UBND huyện'], typed });
    expect(again.find((a) => a.point === 'Xã Tân Lập')).toMatchObject({ status: 'absent', absenceReason: 'Chỉ kết nối thử, không dự họp', corrected: true });
    expect(again.find((a) => a.point === 'UBND xã Tân Lập (2)')).toMatchObject({ status: 'online', excluded: true });

    const text = minutesDocument(briefingFixture, { ...minutesFixture(), attendance: again }).body.map((b) => (b.type === 'table' ? '' : b.text)).join('\n');
    expect(text).toContain('Xã Tân Lập, vắng mặt (lý do: Chỉ kết nối thử, không dự họp)');
    expect(text).not.toContain('UBND xã Tân Lập (2)');
  });
});
