// Hands the server's account of the briefing (its seats with when each joined and left, and when
// each agenda item began and ended) to the desktop, which keeps it for the minutes. Runs beside
// the session for as long as the point is in the briefing, whatever screen is open.
import type { ProceedingsAccount } from '../../../main/api/contract';
import { desktop } from '../desktop';
import type { BriefingSession } from './BriefingSession';

const SETTLE_MS = 500;

const recorded = new EventTarget();

/** Calls `listener` each time the desktop has kept a newer account of this briefing (the minutes
 * editor re-reads attendance then, not on a guess of when the write is done). */
export function onProceedingsRecorded(briefingCode: string, listener: () => void): () => void {
  const handler = (event: Event) => {
    if (event instanceof CustomEvent && event.detail === briefingCode) listener();
  };
  recorded.addEventListener('recorded', handler);
  return () => recorded.removeEventListener('recorded', handler);
}

export function recordProceedings(session: BriefingSession, briefingCode: string): () => void {
  let sent = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const send = () => {
    const control = session.getState().control;
    if (!control) return;
    const account: ProceedingsAccount = {
      briefingCode,
      seats: control.seats.map(({ seat, role, invited, joinedAt, leftAt, absentReason, attendees }) => ({ seat, role, invited, joinedAt, leftAt, absentReason, attendees })),
      agendaTimes: control.agendaTimes,
      endedAt: control.endedAt,
    };
    const text = JSON.stringify(account);
    if (text === sent) return;
    sent = text;
    desktop.recordProceedings(account).then(
      () => recorded.dispatchEvent(new CustomEvent('recorded', { detail: briefingCode })),
      // Not kept: tried again with the next change.
      () => (sent = ''),
    );
  };
  // Only the control snapshot matters (the store changes every second with media stats), and at
  // most one send per SETTLE_MS: a pending send is not pushed back, so a busy briefing still records.
  let control = session.getState().control;
  const unsubscribe = session.subscribe(() => {
    const next = session.getState().control;
    if (next === control) return;
    control = next;
    timer ??= setTimeout(() => {
      timer = undefined;
      send();
    }, SETTLE_MS);
  });
  send();
  return () => {
    clearTimeout(timer);
    send();
    unsubscribe();
  };
}
