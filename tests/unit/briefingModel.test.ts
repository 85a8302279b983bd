import { describe, expect, it } from 'vitest';
import { BriefingDraft, describeChanges } from '../../sfu-server/protocol/briefing';

const doc = { sha256: 'a'.repeat(64), name: 'Báo cáo.pdf', mimeType: 'application/pdf' as const, size: 1000 };
const valid: BriefingDraft = {
  code: 'giaoban-t2',
  title: 'Giao ban tuần',
  hostUnit: 'UBND huyện',
  chair: 'Chủ tịch',
  secretary: 'Chánh Văn phòng',
  startsAt: '2026-11-30T07:30:00+07:00',
  expectedMinutes: 90,
  place: 'Phòng họp',
  regular: true,
  invitedPoints: ['Xã A'],
  agenda: [{ title: 'Báo cáo', presenter: 'Văn phòng', plannedMinutes: 10, documents: [doc] }],
};

describe('briefing model', () => {
  it('accepts a complete invitation', () => {
    expect(BriefingDraft.safeParse(valid).success).toBe(true);
  });

  it.each([
    ['no agenda item', { agenda: [] }],
    ['no invited meeting point', { invitedPoints: [] }],
    ['a start time without a time zone', { startsAt: '2026-11-30T07:30:00' }],
    ['an empty chair', { chair: '  ' }],
    ['a zero-minute item', { agenda: [{ ...valid.agenda[0], plannedMinutes: 0 }] }],
    ['a document over the size limit', { agenda: [{ ...valid.agenda[0], documents: [{ ...doc, size: 60 * 1024 * 1024 }] }] }],
    ['an executable document', { agenda: [{ ...valid.agenda[0], documents: [{ ...doc, mimeType: 'application/x-msdownload' }] }] }],
    ['a malformed hash', { agenda: [{ ...valid.agenda[0], documents: [{ ...doc, sha256: 'xyz' }] }] }],
  ])('refuses %s', (_why, patch) => {
    expect(BriefingDraft.safeParse({ ...valid, ...patch }).success).toBe(false);
  });

  it('describes what changed between versions', () => {
    const after: BriefingDraft = {
      ...valid,
      startsAt: '2026-12-01T07:30:00+07:00',
      invitedPoints: ['Xã A', 'Xã B'],
      agenda: [...valid.agenda, { title: 'Ý kiến', presenter: 'Các xã', plannedMinutes: 20, documents: [] }],
    };
    expect(describeChanges(valid, after)).toEqual([
      { field: 'startsAt', before: valid.startsAt, after: after.startsAt },
      { field: 'invitedPoints', after: 'Xã B' },
      { field: 'agenda' },
    ]);
    expect(describeChanges(valid, valid)).toEqual([]);
  });
});
