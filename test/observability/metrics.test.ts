import { readdirSync, readFileSync } from 'node:fs';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttpClient } from '../helpers/outlet.js';
import { startObserved, type Observed } from './helpers.js';

let observed: Observed;
let client: Client;
let breaker: 'closed' | 'open' | 'half-open' = 'closed';

beforeAll(async () => {
  observed = await startObserved({ metrics: { process: false } }, { breakerState: (server) => (server === 'obs' ? breaker : undefined) });
  client = await connectHttpClient(`${observed.outlet.url}/mcp`, '2025-11-25');
});

afterAll(async () => {
  await client?.close();
  await observed?.close();
});

async function scrape(): Promise<string> {
  const res = await observed.app.request('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

/** The value of one sample, by its exact label set as Prometheus prints it; 0 when absent. */
function sample(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

/** Live descendants of `root` whose command line mentions `needle` (Linux /proc). */
function descendantsRunning(root: number, needle: string): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone already
    }
  }
  const isDescendant = (pid: number): boolean => {
    for (let p = parent.get(pid), hops = 0; p !== undefined && hops < 50; p = parent.get(p), hops++) if (p === root) return true;
    return false;
  };
  return [...parent.keys()].filter((pid) => {
    if (!isDescendant(pid)) return false;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return cmd.some((a) => a.endsWith(needle)) && !cmd[0]!.endsWith('bwrap');
    } catch {
      return false;
    }
  });
}

const OK = 'method="tools/call",server="obs",tool="echo_meta",outcome="ok"';

describe('GET /metrics', () => {
  it('counts calls and observes their durations, by method, server, tool and outcome', async () => {
    const before = await scrape();
    for (let i = 0; i < 3; i++) await client.callTool({ name: 'obs__echo_meta', arguments: {} });
    await client.callTool({ name: 'obs__sleep', arguments: { ms: 60 } });
    const after = await scrape();
    expect(sample(after, 'outlet_requests_total', OK) - sample(before, 'outlet_requests_total', OK)).toBe(3);
    expect(sample(after, 'outlet_request_duration_seconds_count', OK) - sample(before, 'outlet_request_duration_seconds_count', OK)).toBe(3);
    expect(sample(after, 'outlet_request_duration_seconds_sum', OK)).toBeGreaterThan(sample(before, 'outlet_request_duration_seconds_sum', OK));
    // The 60 ms call cannot be faster than its sleep, so it is above the 50 ms bucket; how far
    // above depends on the machine's load (an upper bucket here was a wall-clock assertion that
    // failed on a loaded host), so only the +Inf bucket, which every observation reaches, is fixed.
    const sleep = 'method="tools/call",server="obs",tool="sleep",outcome="ok"';
    expect(sample(after, 'outlet_request_duration_seconds_bucket', `le="0.05",${sleep}`)).toBe(0);
    expect(sample(after, 'outlet_request_duration_seconds_bucket', `le="+Inf",${sleep}`)).toBe(1);
    expect(sample(after, 'outlet_requests_in_flight')).toBe(0);
  });

  it('labels tool errors, gateway errors, list requests and unknown tools with bounded values', async () => {
    await client.callTool({ name: 'obs__fail', arguments: {} });
    await client.listTools();
    await expect(client.callTool({ name: `obs__made_up_${Date.now()}`, arguments: {} })).rejects.toThrow();
    const text = await scrape();
    expect(sample(text, 'outlet_requests_total', 'method="tools/call",server="obs",tool="fail",outcome="tool_error"')).toBe(1);
    expect(sample(text, 'outlet_requests_total', 'method="tools/list",server="",tool="",outcome="ok"')).toBeGreaterThanOrEqual(1);
    // A name not in the catalog never becomes a label value.
    expect(sample(text, 'outlet_requests_total', 'method="tools/call",server="",tool="other",outcome="unknown_tool"')).toBe(1);
    expect(text).not.toContain('made_up');
  });

  it('counts requests in flight while they run', async () => {
    const call = client.callTool({ name: 'obs__sleep', arguments: { ms: 300 } });
    await new Promise((r) => setTimeout(r, 100));
    expect(sample(await scrape(), 'outlet_requests_in_flight')).toBe(1);
    await call;
    expect(sample(await scrape(), 'outlet_requests_in_flight')).toBe(0);
  });

  it('reads upstream state, restarts, instances, limit kills and the breaker at scrape time', async () => {
    let text = await scrape();
    expect(sample(text, 'outlet_upstream_up', 'server="obs"')).toBe(1);
    expect(sample(text, 'outlet_upstream_state', 'server="obs",state="connected"')).toBe(1);
    expect(sample(text, 'outlet_upstream_state', 'server="obs",state="backoff"')).toBe(0);
    expect(sample(text, 'outlet_upstream_restarts_total', 'server="obs"')).toBe(0);
    expect(sample(text, 'outlet_upstream_instances', 'server="obs",mode="shared"')).toBe(1);
    expect(sample(text, 'outlet_circuit_breaker_state', 'server="obs"')).toBe(0);
    expect(text).toMatch(/# TYPE outlet_upstream_restarts_total counter/);
    expect(text).toMatch(/# TYPE outlet_sandbox_kills_total counter/);
    breaker = 'open';
    text = await scrape();
    expect(sample(text, 'outlet_circuit_breaker_state', 'server="obs"')).toBe(2);
    breaker = 'closed';
  });

  it('follows a restart of the upstream', async () => {
    const up = observed.outlet.gateway.supervisor.get('obs')!;
    const before = sample(await scrape(), 'outlet_upstream_restarts_total', 'server="obs"');
    expect(up.state).toBe('connected');
    // Kill the server's process (ours: a descendant of this test process): the supervisor restarts it.
    const pids = descendantsRunning(process.pid, 'meta-echo-server.mjs');
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + 20_000;
    let text = '';
    while (Date.now() < deadline) {
      text = await scrape();
      if (sample(text, 'outlet_upstream_restarts_total', 'server="obs"') > before && sample(text, 'outlet_upstream_up', 'server="obs"') === 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(sample(text, 'outlet_upstream_restarts_total', 'server="obs"')).toBeGreaterThan(before);
  });
});

describe('with metrics off', () => {
  it('answers 404 and registers nothing', async () => {
    await observed.install({ metrics: { enabled: false } });
    expect((await observed.app.request('/metrics')).status).toBe(404);
    expect(await observed.handle.metricsText()).toBe('');
  });

  it('serves the Node process metrics when asked (the default)', async () => {
    await observed.install({});
    const text = await scrape();
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_eventloop_utilization_ratio']) {
      expect(sample(text, name), name).toBeGreaterThan(0);
    }
    expect(text).toMatch(/^nodejs_version_info\{version="v\d+/m);
  });
});
