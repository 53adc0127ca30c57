import type { BenchReport, TargetStats } from './bench-types.js';
import { bucketLabel, describeLoad, describeRequest, formatMs, formatPercent, formatRate } from './format.js';

type Row = [label: string, value: (t: TargetStats) => string];

const ROWS: Row[] = [
  ['protocol', (t) => t.protocolVersion ?? '-'],
  ['connect', (t) => formatMs(t.connectMs)],
  ['first result', (t) => formatMs(t.firstResultMs)],
  ['requests', (t) => String(t.requests)],
  ['success', (t) => formatPercent(t.successRate)],
  ['tool errors', (t) => String(t.toolErrors)],
  ['errors', (t) => String(t.errors)],
  ['mean', (t) => formatMs(t.latencyMs?.mean)],
  ['median', (t) => formatMs(t.latencyMs?.median)],
  ['p95', (t) => formatMs(t.latencyMs?.p95)],
  ['p99', (t) => formatMs(t.latencyMs?.p99)],
  ['min', (t) => formatMs(t.latencyMs?.min)],
  ['max', (t) => formatMs(t.latencyMs?.max)],
  ['throughput', (t) => formatRate(t.throughputPerSec)],
];

/** The whole terminal summary: what ran, the side-by-side table, the histogram, then the errors. */
export function renderTerminal(report: BenchReport): string {
  const lines = [`outlet bench: ${describeRequest(report.parameters)}`, `  ${describeLoad(report.parameters)}`, ''];
  for (const t of report.targets) lines.push(`  ${t.name} = ${t.url}`);
  lines.push('', ...renderTable(report.targets), '');
  const hist = renderHistogram(report);
  if (hist.length > 0) lines.push(...hist, '');
  lines.push(...renderErrors(report.targets));
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Targets as columns, figures as rows: comparing two endpoints is reading across one line. */
export function renderTable(targets: readonly TargetStats[]): string[] {
  const labelWidth = Math.max(...ROWS.map(([label]) => label.length));
  const cells = targets.map((t) => ROWS.map(([, value]) => value(t)));
  const widths = targets.map((t, i) => Math.max(t.name.length, ...cells[i]!.map((c) => c.length)));
  const line = (label: string, values: string[]) => `${label.padEnd(labelWidth)}  ${values.map((v, i) => v.padStart(widths[i]!)).join('  ')}`.trimEnd();
  return [
    line('', targets.map((t) => t.name)),
    ...ROWS.map(([label], r) => line(label, cells.map((c) => c[r]!))),
  ];
}

const BAR_WIDTH = 14;
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar in eighths of a character, so small counts still differ visibly from zero and from each other. */
export function bar(count: number, max: number, width = BAR_WIDTH): string {
  if (max <= 0 || count <= 0) return '';
  const eighths = Math.max(1, Math.round((count / max) * width * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8]!;
}

/** One row per log bucket, one bar column per target, all on one scale so bar lengths compare. */
export function renderHistogram(report: BenchReport): string[] {
  const edges = report.histogramEdgesMs;
  // A target with no successful call has no column: an empty one would only widen the table.
  const targets = report.targets.filter((t) => t.ok > 0);
  if (edges.length < 2 || targets.length === 0) return [];
  const max = Math.max(...targets.flatMap((t) => t.histogram));
  const labels = edges.slice(0, -1).map((_, k) => bucketLabel(edges, k));
  const labelWidth = Math.max(...labels.map((l) => l.length));
  const colWidths = targets.map((t) => Math.max(t.name.length, BAR_WIDTH + 1 + String(Math.max(...t.histogram)).length));
  const header = `${'ms'.padEnd(labelWidth)}  ${targets.map((t, i) => t.name.padEnd(colWidths[i]!)).join('  ')}`.trimEnd();
  const rows = labels.map((label, k) => {
    const cols = targets.map((t, i) => {
      const n = t.histogram[k] ?? 0;
      return (n > 0 ? `${bar(n, max).padEnd(BAR_WIDTH)} ${n}` : '').padEnd(colWidths[i]!);
    });
    return `${label.padStart(labelWidth)}  ${cols.join('  ')}`.trimEnd();
  });
  return ['latency of successful calls (log buckets):', header, ...rows];
}

export function renderErrors(targets: readonly TargetStats[]): string[] {
  const failing = targets.filter((t) => t.errorBreakdown.length > 0);
  if (failing.length === 0) return ['no errors'];
  const lines = ['errors:'];
  for (const t of failing) {
    for (const e of t.errorBreakdown) lines.push(`  ${t.name}  ${e.label}  ×${e.count}  e.g. ${e.example}`);
  }
  return lines;
}
