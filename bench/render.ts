// Re-renders the markdown and the SVG chart of a results file (e.g. to put an older run in docs/).
//   tsx bench/render.ts bench/results/<timestamp>.json [--md FILE] [--svg FILE]
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { profileMarkdown, type ProfileSummary } from './lib/profile.js';
import { markdown, svgChart, type Environment, type Target } from './lib/report.js';
import type { ConfigMedian, RoundRatios } from './lib/results.js';

const { values, positionals } = parseArgs({ options: { md: { type: 'string' }, svg: { type: 'string' } }, allowPositionals: true });
const file = positionals[0];
if (!file) {
  console.error('usage: tsx bench/render.ts RESULTS.json [--md FILE] [--svg FILE]');
  process.exit(2);
}
const r = JSON.parse(readFileSync(file, 'utf8')) as {
  environment: Environment;
  counts: Record<string, unknown> & { rounds: number; inflight: number[] };
  medians: ConfigMedian[];
  ratios: { rounds: RoundRatios[]; median: RoundRatios };
  targets: Target[];
  profile?: { summary: ProfileSummary; calls: number };
};
const high = Math.max(...r.counts.inflight);
let md = markdown(r.environment, r.counts, r.medians, r.ratios.rounds, r.ratios.median, r.counts.inflight, r.targets);
if (r.profile) md += `\n${profileMarkdown(r.profile.summary, r.profile.calls, `Profile of the outlet (c) at ${high} in flight: top self time`)}`;
const env = r.environment;
const svg = svgChart(r.medians, r.counts.inflight, `mcp-outlet bench ${env.startedAt.slice(0, 16)}Z, ${env.nproc} cores, Node ${env.node}, medians of ${r.counts.rounds} round(s); load at start ${env.loadAtStart[0]}`);
if (values.md) writeFileSync(values.md, md);
else console.log(md);
if (values.svg) writeFileSync(values.svg, svg);
