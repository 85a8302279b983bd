// What needs an answer now, above the video whatever panel is open: for the chair, points asking
// to speak (granted from here); for a point, that it has the floor, that a roll call waits for
// it, that a vote is open. A new notice chimes once.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { BriefingSession, SessionState } from '../briefing/BriefingSession';

interface Notice {
  key: string;
  text: string;
  action?: { label: string; run: () => Promise<void> };
}

function noticesFor(state: SessionState, session: BriefingSession, t: (key: string, options?: Record<string, unknown>) => string, openChairing: () => void): Notice[] {
  const control = state.control;
  const seatId = state.seatId;
  if (!control || !seatId) return [];
  const notices: Notice[] = [];
  if (state.role === 'chair') {
    const first = control.floor.queue.at(0);
    if (first) {
      notices.push({
        key: `queue-${control.floor.queue.map((q) => q.seatId).join(',')}`,
        text: t('notices.floorRequests', { points: control.floor.queue.map((q) => q.seat).join(', ') }),
        action: { label: t('notices.grant', { point: first.seat }), run: () => session.chair.grantFloor(first.seatId) },
      });
    }
    return notices;
  }
  if (control.floor.speaker?.seatId === seatId) notices.push({ key: `floor-${control.floor.speaker.startedAt}`, text: t('notices.youHaveFloor') });
  const own = control.seats.find((s) => s.seatId === seatId);
  if (control.rollCall && !control.rollCall.endedAt && !own?.rollCallAnsweredAt) {
    notices.push({ key: `rollcall-${control.rollCall.startedAt}`, text: t('notices.rollCall'), action: { label: t('notices.answerRollCall'), run: () => session.point.answerRollCall() } });
  }
  const vote = control.vote;
  if (vote && !vote.closedAt && !vote.voted.includes(seatId)) {
    notices.push({ key: `vote-${vote.id}`, text: t('notices.vote', { question: vote.question }), action: { label: t('notices.openVote'), run: () => Promise.resolve(openChairing()) } });
  }
  return notices;
}

/** A short two-tone chime (no audio file to ship). */
function chime(): void {
  try {
    const audio = new AudioContext();
    const tone = (frequency: number, at: number) => {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.15, audio.currentTime + at);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + at + 0.25);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(audio.currentTime + at);
      oscillator.stop(audio.currentTime + at + 0.25);
    };
    tone(880, 0);
    tone(660, 0.18);
    setTimeout(() => void audio.close(), 1000);
  } catch {
    // No audio output on this PC: the bar is still there.
  }
}

export function useNotices(state: SessionState, session: BriefingSession, openChairing: () => void): Notice[] {
  const { t } = useTranslation();
  return noticesFor(state, session, t, openChairing);
}

export function NoticeBar({ notices, onError }: { notices: Notice[]; onError: (error: unknown) => void }) {
  const { t } = useTranslation();
  const heard = useRef(new Set<string>());
  const keys = notices.map((n) => n.key).join('|');
  useEffect(() => {
    const fresh = notices.filter((n) => !heard.current.has(n.key));
    fresh.forEach((n) => heard.current.add(n.key));
    if (fresh.length) chime();
  }, [keys]); // eslint-disable-line react-hooks/exhaustive-deps -- chimes when the set of notices changes, not on every render
  if (!notices.length) return null;
  return (
    <section className="notice-bar" aria-label={t('notices.label')} role="status">
      {notices.map((n) => (
        <p key={n.key} className="notice" data-notice={n.key.split('-')[0]}>
          {n.text}{' '}
          {n.action && (
            <button type="button" onClick={() => void n.action?.run().catch(onError)}>
              {n.action.label}
            </button>
          )}
        </p>
      ))}
    </section>
  );
}
