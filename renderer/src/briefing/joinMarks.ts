// Where a join spends its time, as marks on the page's own performance timeline: readable in the
// browser's developer tools on a slow commune PC, and by `npm run bench` (its join timeline).
export type JoinPhase =
  | 'connected'
  | 'capabilities'
  | 'seated'
  | 'transports'
  | 'streams-made'
  | 'streams-wired'
  | 'streams-resumed'
  | 'media-connected'
  | 'sending'
  | 'briefing-shown';

export function markJoin(phase: JoinPhase): void {
  performance.mark(`giaoban:${phase}`);
}
