// Figures as the bench prints them: percentiles, ratios against targets, Markdown tables.

export function percentile(values: number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const median = (values: number[]) => percentile(values, 50);

const finite = (v: number) => Number.isFinite(v);

export const fmt = {
  ms: (v: number) => (finite(v) ? `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ms` : '—'),
  s: (v: number) => (finite(v) ? `${v.toFixed(2)} s` : '—'),
  rate: (v: number) => (finite(v) ? `${v < 100 ? v.toFixed(1) : v.toFixed(0)}/s` : '—'),
  mib: (v: number) => (finite(v) ? `${v.toFixed(0)} MiB` : '—'),
  ratio: (v: number) => (finite(v) ? `${v.toFixed(2)}×` : '—'),
  n: (v: number, digits = 1) => (finite(v) ? v.toFixed(digits) : '—'),
  pct: (v: number) => (finite(v) ? `${v.toFixed(0)} %` : '—'),
};

/** A target on a ratio: at least (throughput) or at most (latency, memory, start). */
export interface Target {
  kind: 'min' | 'max';
  value: number;
}

export const targetText = (t: Target | undefined) => (t ? `${t.kind === 'min' ? '≥' : '≤'} ${t.value}×` : '—');

export function verdict(ratio: number, target: Target | undefined): string {
  if (!target) return '';
  if (!finite(ratio)) return 'not measured';
  return (target.kind === 'min' ? ratio >= target.value : ratio <= target.value) ? 'met' : '**not met**';
}

/** A Markdown table; cells padded so that it reads in a terminal too. */
export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
