// This PC's history of who was present: written to the desktop store when the points change and
// periodically, so that a crash still leaves how long the briefing lasted. A province's chair sees
// 199 points join within seconds: recording on every change meant 199 writes of up to 200 names
// each, and the chair's page stuttered while they went out. Changes are recorded at most every
// couple of seconds instead; a join is then dated up to that late, which the history can bear.
import { useCallback, useEffect, useRef } from 'react';
import { desktop } from '../desktop';

/** How soon a change of the points present is written. */
const PRESENCE_SETTLE_MS = 2_000;
/** How often the presence is written when nothing changes. */
const PRESENCE_REFRESH_MS = 30_000;

/** Records `names` (the points present, one per line) for this history entry; the function
 * returned writes any change not yet written, for leaving. */
export function usePresenceRecord(historyId: number | null, names: string): () => Promise<void> {
  const latest = useRef(names);
  latest.current = names;
  const recorded = useRef<{ names: string; at: number } | null>(null);

  const record = useCallback(
    async (force: boolean) => {
      if (historyId === null) return;
      const names = latest.current;
      const now = performance.now();
      const last = recorded.current;
      if (!force && last && last.names === names && now - last.at < PRESENCE_REFRESH_MS) return;
      recorded.current = { names, at: now };
      await desktop.briefingPresence({ historyId, points: names ? names.split('\n') : [] }).catch(() => undefined);
    },
    [historyId],
  );

  useEffect(() => {
    void record(true);
    const timer = setInterval(() => void record(false), PRESENCE_SETTLE_MS);
    // Leaving by any way (the briefing ended, the view closed): what changed last is written too.
    return () => {
      clearInterval(timer);
      void record(false);
    };
  }, [record]);

  return useCallback(() => record(false), [record]);
}
