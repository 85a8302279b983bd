// A briefing and minutes with Vietnamese in every field, for the export and signing tests.
import type { BriefingDraft, PublishedBriefing } from '../../sfu-server/protocol/briefing';
import { type Minutes, emptyItem } from '../../main/services/minutes/model';

/** A briefing of two items as the district publishes it; tests change what they need. */
export function briefingDraft(overrides: Partial<BriefingDraft> = {}): BriefingDraft {
  const { version: _v, publishedAt: _p, changes: _c, ...draft } = briefingFixture;
  // A copy all the way down: a test that changes its agenda must not change the next test's.
  return structuredClone({ ...draft, ...overrides });
}

export const briefingFixture: PublishedBriefing = {
  code: 'giaoban-tuan-48',
  title: 'Cuộc họp giao ban trực tuyến tuần 48',
  hostUnit: 'Ủy ban nhân dân huyện Sơn Hà',
  chair: 'Nguyễn Văn Thắng',
  secretary: 'Trần Thị Hương',
  startsAt: '2026-11-23T07:30:00+07:00',
  expectedMinutes: 90,
  place: 'Phòng họp trực tuyến Ủy ban nhân dân huyện',
  regular: true,
  invitedPoints: ['UBND huyện', 'Xã Tân Lập', 'Xã Phú Sơn'],
  agenda: [
    { title: 'Tiến độ giải ngân vốn đầu tư công', presenter: 'Phòng Tài chính', plannedMinutes: 20, documents: [] },
    { title: 'Phòng chống lũ quét cuối năm', presenter: 'Ban Chỉ huy quân sự', plannedMinutes: 15, documents: [] },
  ],
  version: 1,
  publishedAt: '2026-11-18T02:00:00.000Z',
  changes: [],
};

export function minutesFixture(): Minutes {
  return {
    briefingCode: briefingFixture.code,
    meta: { minutesNumber: '48/BB-UBND', conclusionsNumber: '', parentAgency: '', recipients: [], noticeSignerAuthority: '', noticeSignerPosition: '' },
    items: [
      {
        ...emptyItem(),
        proceedings: 'Trưởng phòng Tài chính báo cáo tỷ lệ giải ngân đạt sáu mươi tám phần trăm.',
        speakers: [{ name: 'Lê Quốc Khánh', unit: 'Xã Tân Lập', summary: 'Đề nghị bổ sung kinh phí đường giao thông nông thôn.' }],
        votes: [{ question: 'Thông qua kế hoạch điều chỉnh vốn', yes: 3, no: 0, abstain: 1 }],
        conclusions: 'Giao các xã đẩy nhanh tiến độ thi công, hoàn thành trước ngày hai mươi tháng mười hai.',
        assignments: [{ unit: 'Phòng Tài chính – Kế hoạch', task: 'Tổng hợp nhu cầu điều chỉnh vốn', deadline: '2026-12-05' }],
        startedAt: '2026-11-23T00:31:00.000Z',
        endedAt: '2026-11-23T00:52:00.000Z',
      },
      {
        ...emptyItem(),
        proceedings: 'Ban Chỉ huy quân sự trình bày phương án sơ tán dân vùng trũng.',
        conclusions: 'Các xã kiểm tra lực lượng xung kích, sẵn sàng ứng phó mưa lũ.',
        startedAt: '2026-11-23T00:52:00.000Z',
        endedAt: '2026-11-23T01:10:00.000Z',
      },
    ],
    attendance: [
      { point: 'UBND huyện', status: 'in_room', people: 'Nguyễn Văn Thắng, Chủ tịch', absenceReason: '', joinedAt: '2026-11-23T00:29:00.000Z', leftAt: null },
      { point: 'Xã Tân Lập', status: 'online', people: 'Lê Quốc Khánh, Chủ tịch xã', absenceReason: '', joinedAt: '2026-11-23T00:30:00.000Z', leftAt: '2026-11-23T01:12:00.000Z' },
      { point: 'Xã Phú Sơn', status: 'absent', people: '', absenceReason: 'Mất điện lưới', joinedAt: null, leftAt: null },
    ],
    cursor: null,
  };
}
