// How a benchmark reports: each figure beside a reference measured in the same run, as a
// ratio, from the median of alternating runs (absolute times on a shared machine drift; a
// ratio of two things measured side by side drifts much less).

export interface Target {
  /** What the target bounds: the ratio to the reference, or our figure itself. */
  on: 'ratio' | 'ours';
  op: '<=' | '>=';
  value: number;
  text: string;
}

export interface Figure {
  benchmark: string;
  name: string;
  unit: string;
  ours: number;
  reference: number | null;
  referenceName: string | null;
  /** ours ÷ reference. */
  ratio: number | null;
  runs: number;
  target: Target | null;
  /** null when there is no target. */
  met: boolean | null;
  note?: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Runs ours and the reference in turn (ours, reference, ours, …) and returns both medians. */
export async function alternate(runs: number, ours: () => Promise<number>, reference: () => Promise<number>): Promise<{ ours: number; reference: number }> {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Start with the other one every second round, so warm-up favours neither.
    if (i % 2 === 0) {
      a.push(await ours());
      b.push(await reference());
    } else {
      b.push(await reference());
      a.push(await ours());
    }
  }
  return { ours: median(a), reference: median(b) };
}

export function figure(input: Omit<Figure, 'ratio' | 'met'>): Figure {
  const ratio = input.reference ? input.ours / input.reference : null;
  let met: boolean | null = null;
  if (input.target) {
    const value = input.target.on === 'ratio' ? ratio : input.ours;
    met = value === null ? null : input.target.op === '<=' ? value <= input.target.value : value >= input.target.value;
  }
  return { ...input, ratio, met };
}

const round = (n: number | null) => (n === null || !Number.isFinite(n) ? '—' : Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3));

export function markdownTable(figures: Figure[], header: string): string {
  const lines = [
    header,
    '',
    '| benchmark | figure | ours | reference | ratio | target | met |',
    '|---|---|---|---|---|---|---|',
    ...figures.map((f) => {
      const met = f.met === null ? '' : f.met ? 'yes' : `**no** (${describeMiss(f)})`;
      return `| ${f.benchmark} | ${f.name}${f.note ? ` (${f.note})` : ''} | ${round(f.ours)} ${f.unit} | ${f.reference === null ? '—' : `${round(f.reference)} ${f.unit} (${f.referenceName})`} | ${round(f.ratio)} | ${f.target?.text ?? ''} | ${met} |`;
    }),
  ];
  return `${lines.join('\n')}\n`;
}

function describeMiss(f: Figure): string {
  const value = f.target!.on === 'ratio' ? f.ratio! : f.ours;
  return `${round(value)} vs ${round(f.target!.value)}`;
}
