// Reads a V8 .cpuprofile (node --cpu-prof) and ranks functions by self time, optionally only over
// the samples taken inside a time window (the throughput phase), so start-up does not count.
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTimeRow {
  functionName: string;
  location: string;
  /** For a frame without a script location (native, or node core), the nearest caller that has one. */
  caller?: string;
  selfMs: number;
  percent: number;
}

export interface ProfileSummary {
  samples: number;
  windowed: boolean;
  windowMs: number;
  top: SelfTimeRow[];
  byModule: { module: string; selfMs: number; percent: number }[];
}

/** Where build.ts compiles the outlet; shown as src/ (line numbers are the compiled JavaScript's). */
const BUILD_PREFIX = /^bench\/results\/\.outlet-build\//;

function location(cf: CallFrame, repoRoot: string): string {
  if (!cf.url) return '';
  const url = cf.url.replace(/^file:\/\//, '').replace(repoRoot, '').replace(BUILD_PREFIX, 'src/');
  return `${url}:${cf.lineNumber + 1}`;
}

/** Which package or part of the outlet a frame belongs to. */
function moduleOf(cf: CallFrame, repoRoot: string): string {
  const url = cf.url.replace(/^file:\/\//, '');
  if (!url) return cf.functionName.startsWith('(') ? cf.functionName : '(native)';
  if (url.startsWith('node:')) return 'node: core';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm !== -1) {
    const parts = url.slice(nm + '/node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const rel = url.replace(repoRoot, '').replace(BUILD_PREFIX, 'src/');
  const src = /^src\/([^/]+)/.exec(rel);
  if (src) return `outlet src/${src[1]}`;
  return rel;
}

/**
 * Self time per function. `window` is [startUs, endUs] on the monotonic clock V8 uses for
 * `startTime` (the same CLOCK_MONOTONIC as process.hrtime on Linux).
 */
export function summarizeProfile(path: string, repoRoot: string, window?: [number, number], topN = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  /** The nearest ancestor frame in the outlet or a package (not native, not node core). */
  const callerOf = (id: number): string | undefined => {
    let p = parentOf.get(id);
    for (let depth = 0; p !== undefined && depth < 200; depth++) {
      const cf = byId.get(p)!.callFrame;
      if (cf.url && !cf.url.startsWith('node:')) return `${cf.functionName || '(anonymous)'} ${location(cf, repoRoot)}`;
      p = parentOf.get(p);
    }
    return undefined;
  };
  const counts = new Map<number, number>();
  let t = profile.startTime;
  let inWindow = 0;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    total++;
    if (window && (t < window[0] || t > window[1])) continue;
    inWindow++;
    counts.set(profile.samples[i]!, (counts.get(profile.samples[i]!) ?? 0) + 1);
  }
  const windowed = Boolean(window) && inWindow > 0;
  if (window && inWindow === 0) return summarizeProfile(path, repoRoot, undefined, topN);
  const spanMs = windowed ? (window![1] - window![0]) / 1000 : (profile.endTime - profile.startTime) / 1000;
  const msPerSample = spanMs / Math.max(1, inWindow);
  const fn = new Map<string, SelfTimeRow>();
  const callers = new Map<string, Map<string, number>>();
  const mod = new Map<string, number>();
  for (const [id, n] of counts) {
    const cf = byId.get(id)!.callFrame;
    const key = `${cf.functionName}|${cf.url}|${cf.lineNumber}|${cf.columnNumber}`;
    const row = fn.get(key) ?? { functionName: cf.functionName || '(anonymous)', location: location(cf, repoRoot), selfMs: 0, percent: 0 };
    row.selfMs += n * msPerSample;
    fn.set(key, row);
    if (!cf.url || cf.url.startsWith('node:')) {
      const caller = callerOf(id);
      if (caller) {
        const m = callers.get(key) ?? new Map<string, number>();
        m.set(caller, (m.get(caller) ?? 0) + n);
        callers.set(key, m);
      }
    }
    const m = moduleOf(cf, repoRoot);
    mod.set(m, (mod.get(m) ?? 0) + n * msPerSample);
  }
  const totalMs = inWindow * msPerSample;
  const rows = [...fn.entries()]
    .map(([key, r]) => {
      const c = callers.get(key);
      const top = c ? [...c.entries()].sort((x, y) => y[1] - x[1])[0] : undefined;
      return { ...r, percent: (r.selfMs / totalMs) * 100, ...(top ? { caller: top[0] } : {}) };
    })
    .sort((a, b) => b.selfMs - a.selfMs);
  const modules = [...mod.entries()].map(([module, selfMs]) => ({ module, selfMs, percent: (selfMs / totalMs) * 100 })).sort((a, b) => b.selfMs - a.selfMs);
  return { samples: windowed ? inWindow : total, windowed, windowMs: spanMs, top: rows.slice(0, topN), byModule: modules.slice(0, 15) };
}

export function profileMarkdown(s: ProfileSummary, calls: number, title: string): string {
  const lines = [`## ${title}`, ''];
  lines.push(
    `${s.samples} samples over ${s.windowMs.toFixed(0)} ms${s.windowed ? ' (the throughput phase only)' : ' (whole process life: the window could not be matched)'}, ${calls} calls.`,
    '',
  );
  lines.push('| # | function | where | most often called from | self ms | self % |', '|---:|---|---|---|---:|---:|');
  s.top.forEach((r, i) => lines.push(`| ${i + 1} | \`${r.functionName}\` | ${r.location || '-'} | ${r.caller ?? ''} | ${r.selfMs.toFixed(0)} | ${r.percent.toFixed(1)} |`));
  lines.push('', 'Self time by module:', '', '| module | self ms | self % |', '|---|---:|---:|');
  for (const m of s.byModule) lines.push(`| ${m.module} | ${m.selfMs.toFixed(0)} | ${m.percent.toFixed(1)} |`);
  lines.push('');
  return lines.join('\n');
}
