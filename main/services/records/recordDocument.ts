// The minutes (biên bản) and the conclusions notice (thông báo kết luận) as the records office
// expects them under Decree 30/2020/NĐ-CP: what goes where on the page, in what order. The PDF
// and DOCX writers both lay out this one description, so the two files never disagree.
import type { PublishedBriefing } from '../../../sfu-server/protocol/briefing';
import { hostWording } from '../../api/hostLevel';
import type { Attendance, Minutes } from '../minutes/model';
import type { ReviewView } from '../followUp/followUpState';

export type RecordKind = 'minutes' | 'conclusions';

export type Block =
  | { type: 'paragraph'; text: string; bold?: boolean; italic?: boolean; indent?: boolean }
  | { type: 'heading'; text: string }
  | { type: 'table'; header: string[]; rows: string[][]; widths: number[] };

export interface SignatureBlock {
  /** The capacity the person signs in, e.g. "CHỦ TỌA", "THƯ KÝ", or "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH". */
  title: string;
  name: string;
}

/** The issuing agency's name as Decree 30 writes it at the top left: a People's Committee as
 * "ỦY BAN NHÂN DÂN" over its place ("TỈNH THỬ NGHIỆM"), any other agency in capitals. */
export function agencyLines(agency: string): string[] {
  const committee = /^(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(.+)$/iu.exec(agency.normalize('NFC').trim());
  return committee ? ['ỦY BAN NHÂN DÂN', committee[1].toLocaleUpperCase('vi')] : [agency.toLocaleUpperCase('vi')];
}

/** Who signs the conclusions notice and in what capacity: "KT. CHỦ TỊCH" over "PHÓ CHỦ TỊCH", or
 * "CHỦ TỊCH" alone; by default the head of a People's Committee, else of the agency. */
function noticeSigner(briefing: PublishedBriefing, meta: Minutes['meta']): SignatureBlock {
  const position = meta.noticeSignerPosition || hostWording(briefing.hostUnit).signerPosition;
  return { title: [meta.noticeSignerAuthority, position].filter(Boolean).join('\n').toLocaleUpperCase('vi'), name: briefing.chair };
}

export interface RecordDocument {
  kind: RecordKind;
  parentAgency: string;
  agency: string;
  /** "Số: 12/BB-UBND", with dots where the number is not given yet. */
  number: string;
  /** "Tân Lập, ngày 23 tháng 11 năm 2026", printed top right (the notice only). */
  placeAndDate: string | null;
  title: string;
  subtitle: string;
  body: Block[];
  signatures: { left: SignatureBlock | null; right: SignatureBlock };
  recipients: string[];
  /** For the file name and the document properties. */
  fileStem: string;
}

const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

function vietnamParts(iso: string) {
  const d = new Date(Date.parse(iso) + VIETNAM_OFFSET_MS);
  const two = (n: number) => String(n).padStart(2, '0');
  return { hour: two(d.getUTCHours()), minute: two(d.getUTCMinutes()), day: two(d.getUTCDate()), month: two(d.getUTCMonth() + 1), year: d.getUTCFullYear() };
}

export function vietnameseTime(iso: string): string {
  const p = vietnamParts(iso);
  return `${p.hour} giờ ${p.minute} phút`;
}

export function vietnameseDate(iso: string): string {
  const p = vietnamParts(iso);
  return `ngày ${p.day} tháng ${p.month} năm ${p.year}`;
}

/** The place name for the date line: the host unit without its agency type, as offices write it. */
function placeName(briefing: PublishedBriefing): string {
  return briefing.place.split(',')[0].trim();
}

function numberLine(number: string, suffix: 'BB' | 'TB'): string {
  return number ? `Số: ${number}` : `Số:       /${suffix}-…`;
}

const STATUS_TEXT: Record<Attendance['status'], string> = {
  online: 'dự trực tuyến',
  in_room: 'dự tại phòng họp',
  absent: 'vắng mặt',
};

function attendanceLine(a: Attendance): string {
  const times =
    a.status === 'absent'
      ? a.absenceReason
        ? ` (lý do: ${a.absenceReason})`
        : ' (không có lý do)'
      : a.joinedAt
        ? ` (vào lúc ${vietnameseTime(a.joinedAt)}${a.leftAt ? `, rời lúc ${vietnameseTime(a.leftAt)}` : ''})`
        : '';
  const people = a.people.trim() ? `: ${a.people.trim().replace(/\s*\n\s*/g, '; ')}` : '';
  return `- Điểm cầu ${a.point}, ${STATUS_TEXT[a.status]}${times}${people}.`;
}

function assignmentTable(rows: Minutes['items'][number]['assignments']): Block {
  return {
    type: 'table',
    header: ['Đơn vị', 'Nhiệm vụ', 'Thời hạn'],
    rows: rows.map((r) => [r.unit, r.task, r.deadline ? r.deadline.split('-').reverse().join('/') : '']),
    widths: [0.28, 0.52, 0.2],
  };
}

/** The end of the briefing, known once the chair ended it: an item that ended is not the end. */
function endedAt(minutes: Minutes): string | null {
  return minutes.endedAt ?? null;
}

const STATE_TEXT = { done: 'Đã hoàn thành', on_time: 'Đang thực hiện, trong hạn', late: 'Quá hạn' } as const;

/** The review item's table: each assignment reviewed, where it stood when the briefing saw it. */
function reviewTable(review: ReviewView): Block[] {
  if (!review.assignments.length) return [{ type: 'paragraph', text: 'Không có nhiệm vụ cần rà soát từ cuộc giao ban trước.', indent: true }];
  const late = (a: ReviewView['assignments'][number]) => (a.lateWorkingDays ? ` (chậm ${a.lateWorkingDays} ngày làm việc)` : '');
  return [
    { type: 'paragraph', text: `Kết quả thực hiện các nhiệm vụ được giao${review.previous ? ` tại ${review.previous.title}` : ''}:`, italic: true, indent: true },
    {
      type: 'table',
      header: ['Đơn vị', 'Nhiệm vụ', 'Thời hạn', 'Kết quả'],
      rows: review.assignments.map((a) => [a.point ?? a.unit, a.task, a.deadline ? a.deadline.split('-').reverse().join('/') : '', `${STATE_TEXT[a.state]}${late(a)}`]),
      widths: [0.22, 0.4, 0.14, 0.24],
    },
  ];
}

export function minutesDocument(briefing: PublishedBriefing, minutes: Minutes, review: ReviewView | null = null): RecordDocument {
  const started = minutes.items.find((i) => i.startedAt)?.startedAt ?? briefing.startsAt;
  const body: Block[] = [
    { type: 'paragraph', text: `Thời gian bắt đầu: ${vietnameseTime(started)}, ${vietnameseDate(started)}.` },
    { type: 'paragraph', text: `Địa điểm: ${briefing.place} và các điểm cầu trực tuyến.` },
    { type: 'paragraph', text: 'Thành phần tham dự:' },
    ...minutes.attendance.filter((a) => !a.excluded).map((a): Block => ({ type: 'paragraph', text: attendanceLine(a), indent: true })),
    { type: 'paragraph', text: `Chủ trì (chủ tọa): ${briefing.chair}.` },
    { type: 'paragraph', text: `Thư ký (người ghi biên bản): ${briefing.secretary}.` },
    { type: 'paragraph', text: 'Nội dung (theo diễn biến cuộc họp):', bold: true },
  ];
  briefing.agenda.forEach((item, index) => {
    // A briefing republished with more items than the minutes were written for.
    const m = minutes.items.at(index);
    if (!m) return;
    const span = m.startedAt ? ` (từ ${vietnameseTime(m.startedAt)}${m.endedAt ? ` đến ${vietnameseTime(m.endedAt)}` : ''})` : '';
    body.push({ type: 'heading', text: `${index + 1}. ${item.title}${span}` });
    if (item.review && review) body.push(...reviewTable(review));
    if (m.proceedings.trim()) body.push({ type: 'paragraph', text: m.proceedings.trim(), indent: true });
    if (m.speakers.length) {
      body.push({ type: 'paragraph', text: 'Ý kiến phát biểu:', italic: true, indent: true });
      for (const s of m.speakers) {
        body.push({ type: 'paragraph', text: `- ${s.name}${s.unit ? ` (${s.unit})` : ''}: ${s.summary.trim()}`, indent: true });
      }
    }
    for (const v of m.votes) {
      body.push({
        type: 'paragraph',
        indent: true,
        text: `Biểu quyết "${v.question}": ${v.yes} tán thành, ${v.no} không tán thành, ${v.abstain} không biểu quyết.`,
      });
    }
    if (m.conclusions.trim()) {
      body.push({ type: 'paragraph', text: 'Kết luận của chủ tọa:', italic: true, indent: true });
      body.push({ type: 'paragraph', text: m.conclusions.trim(), indent: true });
    }
    if (m.assignments.length) {
      body.push({ type: 'paragraph', text: 'Phân công thực hiện:', italic: true, indent: true });
      body.push(assignmentTable(m.assignments));
    }
  });
  const end = endedAt(minutes);
  body.push({
    type: 'paragraph',
    text: `Cuộc họp kết thúc vào ${end ? `${vietnameseTime(end)} cùng ngày` : '… giờ … phút cùng ngày'}, nội dung cuộc họp đã được các thành viên dự họp thông qua.`,
  });
  return {
    kind: 'minutes',
    parentAgency: minutes.meta.parentAgency,
    agency: briefing.hostUnit,
    number: numberLine(minutes.meta.minutesNumber, 'BB'),
    placeAndDate: null,
    title: 'BIÊN BẢN',
    subtitle: briefing.title,
    body,
    signatures: { left: { title: 'THƯ KÝ', name: briefing.secretary }, right: { title: 'CHỦ TỌA', name: briefing.chair } },
    recipients: minutes.meta.recipients.length ? minutes.meta.recipients : ['Các điểm cầu dự họp', 'Lưu: VT'],
    fileStem: `bien-ban-${briefing.code}`,
  };
}

export function conclusionsDocument(briefing: PublishedBriefing, minutes: Minutes, issuedAt: Date): RecordDocument {
  const started = minutes.items.find((i) => i.startedAt)?.startedAt ?? briefing.startsAt;
  const present = minutes.attendance.filter((a) => a.status !== 'absent' && !a.excluded).map((a) => a.point);
  const body: Block[] = [
    {
      type: 'paragraph',
      text:
        `Vào ${vietnameseTime(started)}, ${vietnameseDate(started)}, ${briefing.hostUnit} tổ chức ${briefing.title} ` +
        `tại ${briefing.place}, do ${briefing.chair} chủ trì` +
        (present.length ? `, với sự tham dự của các điểm cầu: ${present.join(', ')}.` : '.'),
      indent: true,
    },
    { type: 'paragraph', text: `Sau khi nghe báo cáo và ý kiến của các đại biểu, ${briefing.chair} kết luận như sau:`, indent: true },
  ];
  briefing.agenda.forEach((item, index) => {
    const m = minutes.items.at(index);
    if (!m || (!m.conclusions.trim() && !m.assignments.length)) return;
    body.push({ type: 'heading', text: `${index + 1}. ${item.title}` });
    if (m.conclusions.trim()) body.push({ type: 'paragraph', text: m.conclusions.trim(), indent: true });
    if (m.assignments.length) body.push(assignmentTable(m.assignments));
  });
  body.push({
    type: 'paragraph',
    text: `Trên đây là kết luận của ${briefing.chair} tại cuộc họp; đề nghị các cơ quan, đơn vị liên quan tổ chức thực hiện.`,
    indent: true,
  });
  return {
    kind: 'conclusions',
    parentAgency: minutes.meta.parentAgency,
    agency: briefing.hostUnit,
    number: numberLine(minutes.meta.conclusionsNumber, 'TB'),
    placeAndDate: `${placeName(briefing)}, ${vietnameseDate(issuedAt.toISOString())}`,
    title: 'THÔNG BÁO',
    subtitle: `Kết luận của ${briefing.chair} tại ${briefing.title}`,
    body,
    signatures: { left: null, right: noticeSigner(briefing, minutes.meta) },
    recipients: minutes.meta.recipients.length ? minutes.meta.recipients : ['Các điểm cầu dự họp', 'Lưu: VT'],
    fileStem: `thong-bao-ket-luan-${briefing.code}`,
  };
}
