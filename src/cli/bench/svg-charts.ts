import type { TargetStats } from './bench-types.js';
import { escapeHtml as esc } from './escape-html.js';
import { formatEdge, formatMs } from './format.js';

// Inline SVG drawn from the figures: the report must open offline, anywhere, with no script at all,
// so hover details are native <title> tooltips rather than a charting library.

export const TARGET_COLORS = ['#2f6fb0', '#d0672b', '#3a9a5b', '#8e5cb8', '#b8475a', '#7a7a2e', '#2e8f8f', '#6b6b6b'];
const PERCENTILE_COLORS = { p50: '#9cc3e6', p95: '#4a87c4', p99: '#1d4f85' } as const;
const HEIGHT = 260;
const M = { top: 16, right: 16, bottom: 46, left: 56 };

export const targetColor = (i: number): string => TARGET_COLORS[i % TARGET_COLORS.length]!;

/** The smallest 1-2-5 step number at or above v, for axis tops that read well. */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const base = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * base >= v * (1 - 1e-9)) return m * base;
  return 10 * base;
}

function yAxis(top: number, plotW: number, plotH: number, fmt: (v: number) => string): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const y = M.top + plotH - f * plotH;
    return `<line x1="${M.left}" x2="${M.left + plotW}" y1="${y}" y2="${y}" class="grid"/><text x="${M.left - 6}" y="${y + 4}" text-anchor="end">${esc(fmt(f * top))}</text>`;
  });
  return ticks.join('');
}

function label(x: number, y: number, text: string, max = 18, anchor = 'middle'): string {
  const shown = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return `<text x="${x}" y="${y}" text-anchor="${anchor}"><title>${esc(text)}</title>${esc(shown)}</text>`;
}

/**
 * Grouped bars: one group per log bucket, one bar per target in its color, all on one count axis.
 * Edges are labelled at bucket boundaries, which is where a log axis's numbers belong.
 */
export function histogramSvg(edges: readonly number[], targets: readonly TargetStats[]): string {
  const buckets = Math.max(0, edges.length - 1);
  // Targets without a successful call have no bars; leaving their slot empty would misalign groups.
  const shown = targets.map((t, color) => ({ t, color })).filter(({ t }) => t.ok > 0);
  if (buckets === 0 || shown.length === 0) return '<p class="none">No successful calls, so no latency histogram.</p>';
  const barW = Math.max(4, Math.min(18, Math.floor(90 / shown.length)));
  const gap = Math.max(14, barW);
  const plotW = Math.max(360, (barW * shown.length + gap) * buckets);
  const plotH = HEIGHT - M.top - M.bottom;
  const width = M.left + plotW + M.right;
  const step = plotW / buckets;
  // At least 4 so that the quarter ticks of a small count axis are whole calls.
  const top = Math.max(4, niceCeil(Math.max(...shown.flatMap(({ t }) => t.histogram))));
  const parts = [yAxis(top, plotW, plotH, formatEdge)];
  for (let k = 0; k < buckets; k++) {
    const x0 = M.left + k * step + (step - barW * shown.length) / 2;
    const range = `${formatEdge(edges[k]!)}–${formatEdge(edges[k + 1]!)} ms`;
    shown.forEach(({ t, color }, i) => {
      const n = t.histogram[k] ?? 0;
      const h = (n / top) * plotH;
      parts.push(`<rect x="${(x0 + i * barW).toFixed(1)}" y="${(M.top + plotH - h).toFixed(1)}" width="${barW - 1}" height="${h.toFixed(1)}" fill="${targetColor(color)}"><title>${esc(`${t.name}: ${n} calls in ${range}`)}</title></rect>`);
    });
  }
  for (let k = 0; k <= buckets; k++) parts.push(label(M.left + k * step, M.top + plotH + 16, formatEdge(edges[k]!)));
  parts.push(label(M.left + plotW / 2, HEIGHT - 8, 'latency (ms, log buckets)', 40));
  parts.push(`<text x="14" y="${M.top + plotH / 2}" transform="rotate(-90 14 ${M.top + plotH / 2})" text-anchor="middle">calls</text>`);
  return svg(width, 'Latency histogram per target', parts);
}

/** p50 / p95 / p99 side by side for each target: the tail is where deployments differ most. */
export function percentileSvg(targets: readonly TargetStats[]): string {
  const keys = ['p50', 'p95', 'p99'] as const;
  const barW = 22;
  const groupW = barW * keys.length + 40;
  const plotW = Math.max(360, groupW * targets.length);
  const plotH = HEIGHT - M.top - M.bottom;
  const width = M.left + plotW + M.right;
  const value = (t: TargetStats, k: (typeof keys)[number]) => (t.latencyMs ? (k === 'p50' ? t.latencyMs.median : t.latencyMs[k]) : 0);
  const top = niceCeil(Math.max(0, ...targets.flatMap((t) => keys.map((k) => value(t, k)))));
  const parts = [yAxis(top, plotW, plotH, formatEdge)];
  const step = plotW / targets.length;
  targets.forEach((t, i) => {
    const cx = M.left + i * step + step / 2;
    if (!t.latencyMs) {
      parts.push(label(cx, M.top + plotH - 8, 'no successful calls', 24));
    } else {
      keys.forEach((k, j) => {
        const v = value(t, k);
        const h = (v / top) * plotH;
        const x = cx - (barW * keys.length) / 2 + j * barW;
        const y = M.top + plotH - h;
        parts.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW - 2}" height="${h.toFixed(1)}" fill="${PERCENTILE_COLORS[k]}"><title>${esc(`${t.name} ${k}: ${formatMs(v)}`)}</title></rect>`);
        parts.push(`<text x="${(x + barW / 2 - 1).toFixed(1)}" y="${(y - 3).toFixed(1)}" text-anchor="middle" class="small">${esc(formatMs(v).replace(' ms', ''))}</text>`);
      });
    }
    parts.push(`<rect x="${cx - 30}" y="${M.top + plotH + 7}" width="8" height="8" fill="${targetColor(i)}"/>`);
    parts.push(label(cx - 18, M.top + plotH + 15, t.name, 16, 'start'));
  });
  parts.push(`<text x="14" y="${M.top + plotH / 2}" transform="rotate(-90 14 ${M.top + plotH / 2})" text-anchor="middle">ms</text>`);
  keys.forEach((k, j) => parts.push(`<rect x="${M.left + j * 60}" y="${HEIGHT - 16}" width="10" height="10" fill="${PERCENTILE_COLORS[k]}"/><text x="${M.left + j * 60 + 14}" y="${HEIGHT - 7}">${k}</text>`));
  return svg(width, 'Latency percentiles per target', parts);
}

function svg(width: number, title: string, parts: string[]): string {
  return `<svg viewBox="0 0 ${Math.round(width)} ${HEIGHT}" width="${Math.round(width)}" height="${HEIGHT}" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title>${parts.join('')}</svg>`;
}
