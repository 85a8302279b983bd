// Where each tracked assignment stands on a given day, counted on the office calendar: what the
// host, the assignee and the next briefing's review all read.
import type { SeriesReview, TrackedAssignment } from '../../../sfu-server/protocol/followUp';
import type { WorkingCalendar } from '../calendar/OfficeCalendar';
import { addWorkingDaysToDay, vietnamDay, workingDaysAfter } from '../calendar/workingDays';

/** done: reported done; on_time: open, deadline not passed (or none); late: open past its deadline. */
export type AssignmentState = 'done' | 'on_time' | 'late';

export interface AssignmentView extends TrackedAssignment {
  state: AssignmentState;
  /** Working days past the deadline: until today while open, until the report when done. */
  lateWorkingDays: number;
  /** Whether this PC reports on it (it holds the code of the point it is addressed to). */
  mine: boolean;
}

export interface UnitSummary {
  unit: string;
  done: number;
  onTime: number;
  late: number;
}

export interface ReviewView {
  previous: SeriesReview['previous'];
  assignments: AssignmentView[];
  byUnit: UnitSummary[];
  /** When the server told this (the review is kept for a briefing without a link). */
  fetchedAt: string;
}

export function viewOf(item: TrackedAssignment, today: string, calendar: WorkingCalendar, mine: boolean): AssignmentView {
  const doneDay = item.doneAt ? vietnamDay(new Date(item.doneAt)) : null;
  const until = doneDay ?? today;
  const lateWorkingDays = item.deadline ? workingDaysAfter(item.deadline, until, calendar, true) : 0;
  const state: AssignmentState = doneDay ? 'done' : item.deadline && today > item.deadline ? 'late' : 'on_time';
  return { ...item, state, lateWorkingDays, mine };
}

export function summaryByUnit(items: AssignmentView[]): UnitSummary[] {
  const units = new Map<string, UnitSummary>();
  for (const item of items) {
    const unit = item.point ?? item.unit;
    const row = units.get(unit) ?? { unit, done: 0, onTime: 0, late: 0 };
    if (item.state === 'done') row.done++;
    else if (item.state === 'late') row.late++;
    else row.onTime++;
    units.set(unit, row);
  }
  return [...units.values()].sort((a, b) => b.late - a.late || a.unit.localeCompare(b.unit, 'vi'));
}

export type FollowUpReminderKind = 'due_soon' | 'due_today' | 'overdue';

export interface FollowUpReminder {
  kind: FollowUpReminderKind;
  assignment: AssignmentView;
}

/** How far ahead an assignee and the chair are reminded of a deadline. */
export const DUE_SOON_WORKING_DAYS = 3;

/** Open assignments that are overdue, due today, or due within three working days. */
export function remindersOf(items: AssignmentView[], today: string, calendar: WorkingCalendar): FollowUpReminder[] {
  const soon = addWorkingDaysToDay(today, DUE_SOON_WORKING_DAYS, calendar);
  const reminders: FollowUpReminder[] = [];
  for (const item of items) {
    if (item.state === 'done' || !item.deadline) continue;
    if (item.deadline < today) reminders.push({ kind: 'overdue', assignment: item });
    else if (item.deadline === today) reminders.push({ kind: 'due_today', assignment: item });
    else if (item.deadline <= soon) reminders.push({ kind: 'due_soon', assignment: item });
  }
  const order = { overdue: 0, due_today: 1, due_soon: 2 };
  return reminders.sort((a, b) => order[a.kind] - order[b.kind] || a.assignment.deadline.localeCompare(b.assignment.deadline));
}
