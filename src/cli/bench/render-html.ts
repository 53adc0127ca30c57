import type { BenchReport, TargetStats } from './bench-types.js';
import { escapeHtml as esc } from './escape-html.js';
import { describeLoad, describeRequest, formatMs, formatPercent, formatRate } from './format.js';
import { histogramSvg, percentileSvg, targetColor } from './svg-charts.js';

// One self-contained file: styles inline, charts as inline SVG, no script, no fonts, no links out,
// so it can be mailed, attached to an issue or opened offline and look the same.
const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330;margin:24px auto;max-width:1100px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde1e8;padding-bottom:4px}
.meta{color:#5a6272}table{border-collapse:collapse;margin:6px 0}th,td{padding:4px 10px;border-bottom:1px solid #e6e9ef;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}td.text{text-align:left;max-width:520px;overflow-wrap:anywhere}
.bad{color:#b3261e;font-weight:600}.good{color:#1e7a3c}.swatch{display:inline-block;width:10px;height:10px;margin-right:6px;border-radius:2px}
svg{max-width:100%;height:auto;font-size:11px;fill:#1d2330}svg .grid{stroke:#e6e9ef}svg .small{font-size:10px}.chart{overflow-x:auto}
dl{display:grid;grid-template-columns:max-content auto;gap:2px 16px;margin:6px 0}dt{color:#5a6272}dd{margin:0;overflow-wrap:anywhere}
.none{color:#5a6272;font-style:italic}`;

type Row = [label: string, cell: (t: TargetStats) => string];

const SUMMARY_ROWS: Row[] = [
  ['URL', (t) => `<td class="text">${esc(t.url)}</td>`],
  ['protocol', (t) => num(t.protocolVersion ?? '-')],
  ['connect', (t) => num(formatMs(t.connectMs))],
  ['first result (cold)', (t) => num(formatMs(t.firstResultMs))],
  ['requests', (t) => num(String(t.requests))],
  ['success', (t) => `<td class="${t.successRate === 1 ? 'good' : 'bad'}">${esc(formatPercent(t.successRate))}</td>`],
  ['tool errors', (t) => num(String(t.toolErrors))],
  ['other errors', (t) => num(String(t.errors))],
  ['mean', (t) => num(formatMs(t.latencyMs?.mean))],
  ['median (p50)', (t) => num(formatMs(t.latencyMs?.median))],
  ['p95', (t) => num(formatMs(t.latencyMs?.p95))],
  ['p99', (t) => num(formatMs(t.latencyMs?.p99))],
  ['min', (t) => num(formatMs(t.latencyMs?.min))],
  ['max', (t) => num(formatMs(t.latencyMs?.max))],
  ['throughput', (t) => num(formatRate(t.throughputPerSec))],
];

function num(text: string): string {
  return `<td>${esc(text)}</td>`;
}

function targetHeader(t: TargetStats, i: number): string {
  return `<th><span class="swatch" style="background:${targetColor(i)}"></span>${esc(t.name)}</th>`;
}

function summaryTable(targets: readonly TargetStats[]): string {
  const head = `<tr><th></th>${targets.map(targetHeader).join('')}</tr>`;
  const rows = SUMMARY_ROWS.map(([label, cell]) => `<tr><th>${esc(label)}</th>${targets.map(cell).join('')}</tr>`);
  return `<table>${head}${rows.join('')}</table>`;
}

function errorTable(targets: readonly TargetStats[]): string {
  const rows = targets.flatMap((t) =>
    t.errorBreakdown.map((e) => `<tr><td class="text">${esc(t.name)}</td><td class="text">${esc(e.label)}</td><td>${e.count}</td><td class="text">${esc(e.example)}</td></tr>`),
  );
  if (rows.length === 0) return '<p class="none">No errors: every call succeeded.</p>';
  return `<table><tr><th>target</th><th>class</th><th>count</th><th>example message</th></tr>${rows.join('')}</table>`;
}

function definitionList(entries: [string, string][]): string {
  return `<dl>${entries.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
}

export function renderHtml(report: BenchReport): string {
  const p = report.parameters;
  const m = report.machine;
  const legend = report.targets.map((t, i) => `<span><span class="swatch" style="background:${targetColor(i)}"></span>${esc(t.name)}</span>`).join(' &nbsp; ');
  const parameters = definitionList([
    ['request', describeRequest(p)],
    ['arguments', p.args ? JSON.stringify(p.args) : '(none)'],
    ['load', describeLoad(p)],
    ['authorization', p.authorization ? 'Bearer token sent (not shown)' : 'none'],
    ['latency figures', 'successful calls only, nearest-rank percentiles; throughput counts calls of any outcome'],
  ]);
  const machine = definitionList([
    ['os', `${m.os} (${m.arch})`],
    ['cpus', `${m.cpus} × ${m.cpuModel}`],
    ['memory', `${m.totalMemoryMb} MB`],
    ['node', m.node],
  ]);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(`outlet bench: ${report.targets.map((t) => t.name).join(' vs ')}`)}</title><style>${STYLE}</style></head>
<body>
<h1>outlet bench</h1>
<p class="meta">${esc(describeRequest(p))} · ${esc(report.generatedAt)}</p>
<h2>Summary</h2>
${summaryTable(report.targets)}
<h2>Latency histogram</h2>
<p>${legend}</p>
<div class="chart">${histogramSvg(report.histogramEdgesMs, report.targets)}</div>
<h2>Percentiles</h2>
<div class="chart">${percentileSvg(report.targets)}</div>
<h2>Errors</h2>
${errorTable(report.targets)}
<h2>Parameters</h2>
${parameters}
<h2>Machine</h2>
${machine}
<p class="meta">Generated by <code>outlet bench</code> at ${esc(report.generatedAt)}.</p>
</body></html>
`;
}
