// The markdown table, the targets and the hand-written SVG chart.
import type { ConfigMedian, RoundRatios } from './results.js';

export interface Environment {
  startedAt: string;
  nproc: number;
  cpuModel: string;
  memTotalGb: number;
  node: string;
  loadAtStart: [number, number, number];
  loadAtEnd?: [number, number, number];
  git: string;
  outletRuns: string;
  command: string;
}

export interface Target {
  name: string;
  goal: string;
  value: string;
  met: boolean | undefined;
}

const fmt = (v: number | undefined, digits = 2) => (v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(digits));
const fmtInt = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '-' : Math.round(v).toLocaleString('en-US'));
const ratio = (v: number | undefined) => (v === undefined ? '-' : `${v.toFixed(2)}x`);

export function evaluateTargets(m: RoundRatios, medians: ConfigMedian[], highInflight: number): Target[] {
  const c = medians.find((x) => x.id === 'c');
  const thrB = m.cOverBThroughput[highInflight];
  const thrPeer = m.cOverBestPeerThroughput[highInflight];
  const p99 = [m.cOverEP99, m.cOverFP99];
  const p99Known = p99.every((v) => v !== undefined);
  return [
    { name: 'c p50 vs b', goal: '<= 1.2x', value: ratio(m.cOverBP50), met: m.cOverBP50 === undefined ? undefined : m.cOverBP50 <= 1.2 },
    { name: `c throughput@${highInflight} vs b`, goal: '>= 1.0x', value: ratio(thrB), met: thrB === undefined ? undefined : thrB >= 1.0 },
    { name: `c throughput@${highInflight} vs max(e, f)`, goal: '>= 2.0x', value: ratio(thrPeer), met: thrPeer === undefined ? undefined : thrPeer >= 2.0 },
    {
      name: 'c p99 vs e and f',
      goal: 'below both (< 1.0x each)',
      value: `${ratio(m.cOverEP99)} of e, ${ratio(m.cOverFP99)} of f`,
      met: p99Known ? p99.every((v) => v! < 1) : undefined,
    },
    { name: 'c gateway CPU per call vs b server CPU per call', goal: '<= 1.0x', value: ratio(m.cOverBCpu), met: m.cOverBCpu === undefined ? undefined : m.cOverBCpu <= 1.0 },
    { name: 'c idle RSS', goal: '< 80 MB', value: c ? `${fmt(c.idleRssMb, 1)} MB` : '-', met: c && Number.isFinite(c.idleRssMb) ? c.idleRssMb < 80 : undefined },
  ];
}

export function markdown(env: Environment, counts: Record<string, unknown>, medians: ConfigMedian[], rounds: RoundRatios[], med: RoundRatios, inflights: number[], targets: Target[]): string {
  const lines: string[] = [];
  lines.push(`# mcp-outlet benchmark, ${env.startedAt}`, '');
  lines.push(
    `Machine: ${env.nproc} cores (${env.cpuModel}), ${env.memTotalGb.toFixed(1)} GB, Node ${env.node}; load average at start ${env.loadAtStart.join(' / ')}` +
      (env.loadAtEnd ? `, at end ${env.loadAtEnd.join(' / ')}` : '') +
      '.',
  );
  lines.push(`Code: ${env.git}; outlet runs ${env.outletRuns}. Command: \`${env.command}\`.`);
  lines.push(`Counts: ${Object.entries(counts).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join('/') : String(v)}`).join(', ')}.`, '');
  lines.push('Medians over rounds. Latency: sequential calls with the lean client (after warm-up). CPU per call: over the throughput phases, the charged process alone (gateway; for a and b the server itself), then with its descendants (the upstream echo server). Others\' CPU %: share of the machine (100 = both cores) used during the throughput phases by processes outside the benchmark; high values make that row\'s figures less trustworthy.', '');
  const head = ['configuration', 'p50 ms', 'p95 ms', 'p99 ms', ...inflights.map((n) => `calls/s @${n}`), 'cold ms', 'CPU us/call', 'CPU us/call incl. upstream', 'RSS start / idle -> peak MB', 'SDK client p50 / p99 ms', 'others\' CPU %', 'errors'];
  lines.push(`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
  for (const c of medians) {
    if (c.status !== 'ok') {
      lines.push(`| ${c.label} | ${c.status === 'unavailable' ? c.reason ?? 'not available' : `${c.status}: ${(c.reason ?? '').split('\n')[0]?.slice(0, 160)}`} |${' |'.repeat(head.length - 2)}`);
      continue;
    }
    lines.push(
      `| ${c.label} | ${fmt(c.p50Ms, 3)} | ${fmt(c.p95Ms, 3)} | ${fmt(c.p99Ms, 2)} | ${inflights.map((n) => fmtInt(c.throughput[n])).join(' | ')} | ${fmt(c.coldMs, 1)} | ${fmtInt(c.processUsPerCall)} | ${fmtInt(c.treeUsPerCall)} | ${fmt(c.startRssMb, 0)} / ${fmt(c.idleRssMb, 0)} -> ${fmt(c.peakRssMb, 0)} | ${fmt(c.sdkP50Ms, 3)} / ${fmt(c.sdkP99Ms, 2)} | ${fmt(c.othersBusyPct, 0)} | ${c.errors} |`,
    );
  }
  lines.push('');
  lines.push('## Ratios, computed within each round', '');
  const rhead = ['round', 'c/b p50', ...inflights.map((n) => `c/b @${n}`), ...inflights.map((n) => `c/max(e,f) @${n}`), 'c/e p99', 'c/f p99', 'c/b CPU', "c'/b p50", ...inflights.map((n) => `c'/b @${n}`), "c'/b CPU"];
  lines.push(`| ${rhead.join(' | ')} |`, `|${rhead.map(() => '---:').join('|')}|`);
  for (const r of [...rounds, med]) {
    lines.push(
      `| ${r.round === 0 ? '**median**' : r.round} | ${ratio(r.cOverBP50)} | ${inflights.map((n) => ratio(r.cOverBThroughput[n])).join(' | ')} | ${inflights.map((n) => ratio(r.cOverBestPeerThroughput[n])).join(' | ')} | ${ratio(r.cOverEP99)} | ${ratio(r.cOverFP99)} | ${ratio(r.cOverBCpu)} | ${ratio(r.c2OverBP50)} | ${inflights.map((n) => ratio(r.c2OverBThroughput[n])).join(' | ')} | ${ratio(r.c2OverBCpu)} |`,
    );
  }
  lines.push('', '## Targets (medians of the within-round ratios)', '', '| target | goal | measured | |', '|---|---|---|---|');
  for (const t of targets) lines.push(`| ${t.name} | ${t.goal} | ${t.value} | ${t.met === undefined ? 'not measured' : t.met ? 'met' : '**missed**'} |`);
  lines.push('');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// SVG: two panels of grouped vertical bars (throughput; latency), no library.

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface Series {
  name: string;
  color: string;
  values: (number | undefined)[];
  format: (v: number) => string;
}

function panel(title: string, unit: string, groups: string[], series: Series[], x0: number, y0: number, width: number, height: number, unavailable: boolean[], clipAt?: number): string {
  const out: string[] = [];
  const top = y0 + 40;
  const bottom = y0 + height - 50;
  const left = x0 + 60;
  const right = x0 + width - 10;
  const max = Math.max(1e-9, ...series.flatMap((s) => s.values.filter((v): v is number => v !== undefined && Number.isFinite(v))));
  // A bar far above the others (stdio direct) is clipped, drawn broken, and labelled with its value.
  const niceMax = clipAt ?? niceCeil(max);
  out.push(`<text x="${x0 + width / 2}" y="${y0 + 20}" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`);
  for (let i = 0; i <= 4; i++) {
    const v = (niceMax * i) / 4;
    const y = bottom - ((bottom - top) * i) / 4;
    out.push(`<line x1="${left}" y1="${y}" x2="${right}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${left - 6}" y="${y + 4}" text-anchor="end" font-size="11" fill="#555">${esc(formatAxis(v))}</text>`);
  }
  out.push(`<text x="${x0 + 14}" y="${(top + bottom) / 2}" font-size="11" fill="#555" transform="rotate(-90 ${x0 + 14} ${(top + bottom) / 2})" text-anchor="middle">${esc(unit)}</text>`);
  const groupW = (right - left) / groups.length;
  const barW = Math.min(28, (groupW - 12) / series.length);
  groups.forEach((g, gi) => {
    const gx = left + gi * groupW + (groupW - barW * series.length) / 2;
    if (unavailable[gi]) {
      out.push(`<text x="${left + gi * groupW + groupW / 2}" y="${bottom - 8}" text-anchor="middle" font-size="11" fill="#999">n/a</text>`);
    } else {
      series.forEach((s, si) => {
        const v = s.values[gi];
        if (v === undefined || !Number.isFinite(v)) return;
        const clipped = v > niceMax;
        const h = ((bottom - top) * Math.min(v, niceMax)) / niceMax;
        const x = gx + si * barW;
        out.push(`<rect x="${x.toFixed(1)}" y="${(bottom - h).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${s.color}"><title>${esc(`${g} ${s.name}: ${s.format(v)}`)}</title></rect>`);
        if (clipped) {
          const yb = bottom - h + 18;
          out.push(`<path d="M${(x - 1).toFixed(1)} ${yb + 4} l${((barW - 2) / 2 + 1).toFixed(1)} -6 l${((barW - 2) / 2 + 1).toFixed(1)} 6" stroke="#fff" stroke-width="3" fill="none"/>`);
        }
        out.push(`<text x="${(x + (barW - 2) / 2).toFixed(1)}" y="${(bottom - h - 3).toFixed(1)}" text-anchor="middle" font-size="9" fill="#333">${esc(s.format(v))}</text>`);
      });
    }
    out.push(`<text x="${left + gi * groupW + groupW / 2}" y="${bottom + 16}" text-anchor="middle" font-size="12">${esc(g)}</text>`);
  });
  out.push(`<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#333"/>`);
  series.forEach((s, si) => {
    const lx = left + si * 150;
    out.push(`<rect x="${lx}" y="${bottom + 28}" width="12" height="12" fill="${s.color}"/><text x="${lx + 16}" y="${bottom + 38}" font-size="12">${esc(s.name)}</text>`);
  });
  return out.join('\n');
}

function niceCeil(v: number): number {
  const exp = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * exp >= v) return m * exp;
  return 10 * exp;
}

function formatAxis(v: number): string {
  if (v === 0) return '0';
  if (v >= 1000) return `${(v / 1000).toFixed(v % 1000 === 0 ? 0 : 1)}k`;
  return v >= 10 ? v.toFixed(0) : v.toFixed(v >= 1 ? 1 : 2);
}

export function svgChart(medians: ConfigMedian[], inflights: number[], subtitle: string): string {
  const groups = medians.map((m) => m.id);
  const unavailable = medians.map((m) => m.status !== 'ok');
  const colors = ['#8fb3d9', '#2b6cb0', '#1a365d'];
  const thrSeries: Series[] = inflights.map((n, i) => ({
    name: `calls/s, ${n} in flight`,
    color: colors[(i + (inflights.length === 1 ? 1 : 0)) % colors.length]!,
    values: medians.map((m) => m.throughput[n]),
    format: (v) => (v >= 1000 ? `${(v / 1000).toFixed(1)}k` : v.toFixed(0)),
  }));
  const latSeries: Series[] = [
    { name: 'p50 ms', color: '#f6ad55', values: medians.map((m) => m.p50Ms), format: (v) => v.toFixed(2) },
    { name: 'p99 ms', color: '#c05621', values: medians.map((m) => m.p99Ms), format: (v) => v.toFixed(1) },
  ];
  const httpMax = Math.max(1e-9, ...medians.filter((m) => m.id !== 'a').flatMap((m) => inflights.map((n) => m.throughput[n] ?? NaN)).filter(Number.isFinite));
  const allMax = Math.max(1e-9, ...medians.flatMap((m) => inflights.map((n) => m.throughput[n] ?? NaN)).filter(Number.isFinite));
  const clipAt = allMax > 3 * httpMax ? niceCeil(httpMax * 1.15) : undefined;
  const W = 900;
  const H = 725 + medians.length * 14;
  const legend = medians.map((m) => `${m.label}${m.status === 'ok' ? '' : ` (${m.status === 'unavailable' ? 'not available' : m.status})`}`);
  const body = [
    panel(`Throughput (lean client, one session), higher is better${clipAt ? ' (a is clipped)' : ''}`, 'calls per second', groups, thrSeries, 0, 30, W, 360, unavailable, clipAt),
    panel('Sequential latency (lean client), lower is better', 'milliseconds', groups, latSeries, 0, 400, W, 300, unavailable),
    ...legend.map((l, i) => `<text x="20" y="${715 + i * 14}" font-size="11" fill="#333">${esc(l)}</text>`),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="12" fill="#555">${esc(subtitle)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
