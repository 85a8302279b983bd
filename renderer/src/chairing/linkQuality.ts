// How a meeting point's link looks at a glance, from the figures the server measures.
import type { LinkHealth } from '../../../sfu-server/protocol';

// The thresholds are the protocol's rules, shared with the weak-link offer.
export { linkQuality, type LinkQuality as Quality } from '../../../sfu-server/protocol/rules';

/** "45 ms · 0.5% · ↑320 ↓180 kbps" */
export function linkFigures(link: LinkHealth | undefined): string {
  if (!link) return '—';
  const rtt = link.rttMs === null ? '— ms' : `${link.rttMs} ms`;
  return `${rtt} · ${link.lossPct}% · ↑${link.kbpsUp} ↓${link.kbpsDown} kbps`;
}
