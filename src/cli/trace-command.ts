import type { SpanNode, TraceTree } from '../observability/trace-store.js';

export interface TraceCommandOptions {
  /** The gateway's base URL. */
  url?: string;
  json?: boolean;
  /** A bearer token (API key or JWT) when the gateway requires authentication. */
  token?: string;
}

/**
 * `outlet trace <id> [--url U] [--json]`: fetches one trace from a running gateway
 * (GET /api/traces/:id) and prints it as an indented span tree with durations, the console lines
 * and errors under the span they happened in.
 */
export async function traceCommand(id: string, opts: TraceCommandOptions = {}, print: (line: string) => void = console.log): Promise<void> {
  const base = new URL(opts.url ?? 'http://127.0.0.1:3000');
  const headers: Record<string, string> = opts.token ? { authorization: `Bearer ${opts.token}` } : {};
  const res = await fetch(new URL(`/api/traces/${encodeURIComponent(id)}`, base), { headers });
  const body = (await res.json().catch(() => ({ error: `the gateway answered ${res.status} without JSON` }))) as TraceTree & { error?: string };
  if (!res.ok) throw new Error(body.error ?? `the gateway answered ${res.status}`);
  if (opts.json) print(JSON.stringify(body, null, 2));
  else for (const line of formatTraceTree(body)) print(line);
}

/** Milliseconds, with precision where it matters. */
export function formatMs(ms: number): string {
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/**
 * A trace as lines of text:
 *
 *     trace 4bf92f3577b34da6a3ce929d0e0e4736 (2 spans)
 *     mcp tools/call fs__read_file  12.4 ms  server=fs outcome=ok
 *     └─ upstream fs tools/call read_file  10.1 ms
 *           +3.20 ms  stderr  reading /data/a.txt
 */
export function formatTraceTree(tree: TraceTree): string[] {
  const lines = [`trace ${tree.traceId} (${tree.spanCount} span${tree.spanCount === 1 ? '' : 's'}${tree.droppedSpans ? `, ${tree.droppedSpans} dropped` : ''})`];
  const render = (node: SpanNode, prefix: string, last: boolean, root: boolean) => {
    const branch = root ? '' : last ? '└─ ' : '├─ ';
    lines.push(`${prefix}${branch}${node.name}  ${formatMs(node.durationMs)}${describe(node)}`);
    const inner = root ? prefix : `${prefix}${last ? '   ' : '│  '}`;
    const eventPrefix = `${inner}${node.children.length > 0 ? '│  ' : '   '}`;
    for (const event of node.events) lines.push(`${eventPrefix}${describeEvent(node, event)}`);
    node.children.forEach((child, i) => render(child, inner, i === node.children.length - 1, false));
  };
  tree.roots.forEach((root) => render(root, '', true, true));
  return lines;
}

function describe(node: SpanNode): string {
  const a = node.attributes;
  const parts: string[] = [];
  if (typeof a['outlet.server'] === 'string' && !node.name.includes(` ${a['outlet.server']} `)) parts.push(`server=${a['outlet.server']}`);
  if (typeof a['outlet.outcome'] === 'string') parts.push(`outcome=${a['outlet.outcome']}`);
  if (node.status === 'error') parts.push(`ERROR${node.statusMessage ? `: ${node.statusMessage}` : ''}`);
  return parts.length > 0 ? `  ${parts.join(' ')}` : '';
}

function describeEvent(node: SpanNode, event: SpanNode['events'][number]): string {
  const at = `+${formatMs(Math.max(0, event.time - node.startTime))}`;
  const a = event.attributes;
  if (event.name === 'console') return `${at}  ${String(a['console.stream'])}  ${String(a['console.line'])}`;
  if (event.name === 'exception') return `${at}  exception ${String(a['exception.type'])}: ${String(a['exception.message'])}`;
  if (event.name === 'policy.decision') {
    return `${at}  policy ${String(a['policy.policy'])}: ${String(a['policy.decision'])}${a['policy.reason'] ? ` (${String(a['policy.reason'])})` : ''}`;
  }
  return `${at}  ${event.name}`;
}
