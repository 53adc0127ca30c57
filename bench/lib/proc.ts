// Reading a process's CPU time and memory from /proc (Linux only). Used to charge CPU per call to
// the gateway process alone and to the gateway with its descendants (the upstream server).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let clockTicks: number | undefined;
/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat (100 on every common Linux). */
export function clkTck(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

interface StatFields {
  ppid: number;
  /** utime + stime in clock ticks */
  ticks: number;
}

function readStat(pid: number): StatFields | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses; fields resume after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); ppid is field 4, utime 14, stime 15.
  return { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
}

/** CPU seconds (user + system) the process has used so far, or undefined when it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  const stat = readStat(pid);
  return stat ? stat.ticks / clkTck() : undefined;
}

/** Every live descendant of pid (children, grandchildren, ...). */
export function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) parentOf.set(Number(entry), stat.ppid);
  }
  const out: number[] = [];
  const frontier = [pid];
  while (frontier.length > 0 && out.length < 10_000) {
    const parent = frontier.pop()!;
    for (const [child, ppid] of parentOf) {
      if (ppid === parent) {
        out.push(child);
        frontier.push(child);
      }
    }
  }
  return out;
}

/** CPU seconds per pid for the process and its live descendants. */
export function treeCpu(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const p of [pid, ...descendants(pid)]) {
    const s = cpuSeconds(p);
    if (s !== undefined) out.set(p, s);
  }
  return out;
}

/** CPU used by a process tree between two snapshots (a process born in between counts from 0). */
export function treeCpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [p, s] of after) total += s - (before.get(p) ?? 0);
  return total;
}

/** VmRSS and VmHWM (peak) in MiB, or undefined when the process is gone. */
export function memory(pid: number): { rssMb: number; hwmMb: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

/** Samples a process's RSS on a timer and keeps the largest value seen. */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  peakMb = 0;
  samples = 0;

  constructor(
    private readonly pid: number,
    private readonly everyMs = 50,
  ) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
    this.timer.unref();
    return this;
  }

  sample(): void {
    const m = memory(this.pid);
    if (!m) return;
    this.samples++;
    if (m.rssMb > this.peakMb) this.peakMb = m.rssMb;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.sample();
  }
}

/** The 1, 5 and 15 minute load averages. */
export function loadAverage(): [number, number, number] {
  const parts = readFileSync('/proc/loadavg', 'utf8').split(' ');
  return [Number(parts[0]), Number(parts[1]), Number(parts[2])];
}

/** Whole-machine CPU time from /proc/stat, in seconds: busy (everything but idle and iowait) and total. */
export function machineCpu(): { busy: number; total: number } {
  const first = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const v = first.trim().split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  return { busy: (total - idle) / clkTck(), total: total / clkTck() };
}
