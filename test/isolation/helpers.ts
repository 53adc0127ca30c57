import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Client } from '@modelcontextprotocol/client';
import { fetcherOf, type Fetcher } from '../helpers/mcp-request.js';

/** A hostile fixture by file name, under test/fixtures/hostile. */
export function hostile(name: string): string {
  return fileURLToPath(new URL(`../fixtures/hostile/${name}`, import.meta.url));
}

/** A string no other process on the machine has in its command line. */
export function uniqueMarker(label: string): string {
  return `outlet-iso-${label}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** A stdio entry running a hostile fixture with `--marker=<marker>` (and `args`) as its arguments. */
export function hostileEntry(fixture: string, marker: string, extra: Record<string, unknown> = {}, args: string[] = []): Record<string, unknown> {
  return { command: process.execPath, args: [hostile(fixture), `--marker=${marker}`, ...args], ...extra };
}

/** Pids of live processes whose command line contains `marker` (zombies have none, and are counted apart). */
export function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) found.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return found;
}

/** Children of this process (the gateway runs in it) that died and were never reaped. */
export function zombieChildren(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ")".
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z' && Number(ppid) === process.pid) found.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return found;
}

export interface ReadyUpstream {
  name: string;
  state: string;
  lastError?: string;
  restarts: number;
  sandbox?: { backend: string; enforced: string[]; notEnforced: string[]; warning?: string };
  killedForLimit?: { memory: number; wallClock: number; output: number };
}

/** One upstream's entry in /ready (of a gateway by URL, or in process by its fetch). */
export async function readyOf(base: string | Fetcher, name: string): Promise<ReadyUpstream | undefined> {
  const body = (await (await fetcherOf(base)('/ready')).json()) as { upstreams: ReadyUpstream[] };
  return body.upstreams.find((u) => u.name === name);
}

/** What a tool call came to: its result, or the JSON-RPC error it was refused with, and how long it took. */
export interface CallOutcome {
  ms: number;
  result?: { content?: Array<{ type: string; text?: string }>; isError?: boolean };
  error?: { code?: number; message: string; data?: Record<string, unknown> };
}

export async function callTool(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallOutcome> {
  const started = Date.now();
  try {
    const result = (await client.callTool({ name, arguments: args })) as CallOutcome['result'];
    return { ms: Date.now() - started, ...(result ? { result } : {}) };
  } catch (err) {
    const e = err as { code?: number; message: string; data?: Record<string, unknown> };
    return { ms: Date.now() - started, error: { message: e.message, ...(e.code !== undefined ? { code: e.code } : {}), ...(e.data ? { data: e.data } : {}) } };
  }
}

/** The JSON a hostile probe tool reports: `{ ok: true, ... }` or `{ ok: false, code, message }`. */
export function probeOutcome(outcome: CallOutcome): Record<string, unknown> {
  const text = outcome.result?.content?.[0]?.text;
  if (text === undefined) throw new Error(`no probe result: ${JSON.stringify(outcome)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** The healthy neighbour every test keeps calling: tiny-server's echo tool. */
export async function healthyAnswers(client: Client, tool = 'healthy__ping_back'): Promise<boolean> {
  const outcome = await callTool(client, tool, { n: 1 });
  return outcome.result?.content?.[0]?.text === JSON.stringify({ tool: 'ping_back', args: { n: 1 } });
}
