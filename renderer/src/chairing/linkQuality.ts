// How a meeting point's link looks at a glance, from the figures the server measures.
import type { LinkHealth } from '../../../sfu-server/protocol';

export type Quality = 'good' | 'fair' | 'poor' | 'unknown';

export function linkQuality(link: LinkHealth | undefined): Quality {
  if (!link) return 'unknown';
  if (link.lossPct >= 10 || (link.rttMs ?? 0) >= 800) return 'poor';
  if (link.lossPct >= 3 || (link.rttMs ?? 0) >= 300) return 'fair';
  return 'good';
}

/** "45 ms · 0.5% · ↑320 ↓180 kbps" */
export function linkFigures(link: LinkHealth | undefined): string {
  if (!link) return '—';
  const rtt = link.rttMs === null ? '— ms' : `${link.rttMs} ms`;
  return `${rtt} · ${link.lossPct}% · ↑${link.kbpsUp} ↓${link.kbpsDown} kbps`;
}
