// POST /rpc with the server's config in the request: the latency of a warm call (the
// instance for that config already running) and where a cold call's time goes (spawn in the
// sandbox, the server's boot and initialize handshake, the call itself).
//
//   npx tsx bench/rpc/run.ts [--warm 2000] [--cold 15] [--backend bubblewrap|none] [--json]
//
// `--backend` is the configured server's: an inline server's cage is the operator's
// (`rpc.sandbox`), always bubblewrap, and its caller may not name one. The operator binds the
// checkout (the fixture and its node_modules) for it: an inline server gets no binds from its arguments.
// The gateway runs in a process of its own (bench/instances/serve.ts); the client is plain fetch
// with keep-alive, one request at a time. Cold samples use a fresh config each (a nonce in env),
// so each one spawns; the breakdown comes from the call's own trace (`_meta["outlet/trace"]`).
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median, percentile } from '../lib/stats.js';

const { values } = parseArgs({
  options: { warm: { type: 'string', default: '2000' }, cold: { type: 'string', default: '15' }, backend: { type: 'string', default: 'bubblewrap' }, json: { type: 'boolean', default: false } },
});
const WARM = Number(values.warm);
const COLD = Number(values.cold);
const ECHO = fileURLToPath(new URL('../fixtures/echo-server.mjs', import.meta.url));
const SERVE = fileURLToPath(new URL('../instances/serve.ts', import.meta.url));

interface Span {
  name: string;
  durationMs: number;
  attributes: Record<string, unknown>;
  children: Span[];
}

const config = { reload: { watch: false }, servers: { echo: { command: process.execPath, args: [ECHO], sandbox: { backend: values.backend } } }, rpc: { enabled: true, allowCommands: [process.execPath], maxInstances: COLD + 2, maxProcesses: COLD + 2, sandbox: { mounts: [{ path: dirname(dirname(dirname(ECHO))) }] } }, observability: { metrics: { process: false } } };
const child = spawn(process.execPath, ['--import', 'tsx', SERVE, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((resolve, reject) => {
  child.stdout!.once('data', (chunk: Buffer) => resolve((JSON.parse(chunk.toString('utf8')) as { url: string }).url));
  child.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
});

const server = (env: Record<string, string> = {}) => ({ command: process.execPath, args: [ECHO], env });
let id = 0;

async function call(meta: Record<string, unknown>): Promise<{ ms: number; result: Record<string, unknown> }> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: ++id, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' }, _meta: meta } });
  const start = performance.now();
  const res = await fetch(`${url}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const answer = (await res.json()) as { result?: Record<string, unknown>; error?: { message: string } };
  const ms = performance.now() - start;
  if (!answer.result) {
    // The gateway is a child of this process: stop it, or a failed run would hang here.
    child.kill('SIGTERM');
    throw new Error(`call failed: ${answer.error?.message}`);
  }
  return { ms, result: answer.result };
}

function find(span: Span, prefix: string): Span | undefined {
  if (span.name.startsWith(prefix)) return span;
  for (const c of span.children) {
    const hit = find(c, prefix);
    if (hit) return hit;
  }
  return undefined;
}

// Cold: each sample a new config, so a new sandboxed process.
const cold = { total: [] as number[], server: [] as number[], spawn: [] as number[], handshake: [] as number[], connect: [] as number[], call: [] as number[] };
for (let i = 0; i < COLD; i++) {
  const { ms, result } = await call({ 'outlet/server': server({ NONCE: String(i) }), 'outlet/trace': true });
  const trace = (result._meta as Record<string, { spans: Span[] }>)['outlet/trace']!;
  const root = trace.spans[0]!;
  const connect = find(root, 'outlet connect')!;
  const upstream = find(root, 'upstream ')!;
  cold.total.push(ms);
  cold.server.push(root.durationMs);
  cold.connect.push(connect.durationMs);
  cold.spawn.push(Number(connect.attributes['outlet.connect.spawnMs']));
  cold.handshake.push(Number(connect.attributes['outlet.connect.handshakeMs']));
  cold.call.push(upstream.durationMs);
}

// Warm: one config, reused, untraced (the normal case); and the same program as a configured
// server called by name (what the inline path adds on top). After a warm-up of both, blocks of
// 100 calls alternate between the two, so drift in machine load falls on both alike.
const warmServer = server({ NONCE: 'warm' });
for (let i = 0; i < 200; i++) {
  await call({ 'outlet/server': warmServer });
  await call({ 'outlet/serverName': 'echo' });
}
const warm: number[] = [];
const named: number[] = [];
for (let done = 0; done < WARM; done += 100) {
  const block = Math.min(100, WARM - done);
  for (let i = 0; i < block; i++) warm.push((await call({ 'outlet/server': warmServer })).ms);
  for (let i = 0; i < block; i++) named.push((await call({ 'outlet/serverName': 'echo' })).ms);
}

if (values.json) {
  const summary = (xs: number[]) => ({ count: xs.length, p50: median(xs), p90: percentile(xs, 90), p99: percentile(xs, 99) });
  console.log(JSON.stringify({ backend: values.backend, warm: summary(warm), named: summary(named), cold: Object.fromEntries(Object.entries(cold).map(([k, v]) => [k, summary(v)])) }));
}
const fmt = (xs: number[]) => `${median(xs).toFixed(2)} ms (p90 ${percentile(xs, 90).toFixed(2)})`;
console.log(`# /rpc benchmark, backend ${values.backend}, ${new Date().toISOString()}`);
console.log(`warm call, client-side, ${WARM} sequential: p50 ${median(warm).toFixed(3)} ms, p90 ${percentile(warm, 90).toFixed(3)} ms, p99 ${percentile(warm, 99).toFixed(3)} ms`);
console.log(`configured server by name, same workload: p50 ${median(named).toFixed(3)} ms, p90 ${percentile(named, 90).toFixed(3)} ms, p99 ${percentile(named, 99).toFixed(3)} ms`);
console.log(`cold call (${COLD} samples), medians:`);
console.log(`  client-side total        ${fmt(cold.total)}`);
console.log(`  gateway span             ${fmt(cold.server)}`);
console.log(`    spawn (sandbox set-up) ${fmt(cold.spawn)}`);
console.log(`    boot + initialize      ${fmt(cold.handshake)}`);
console.log(`    connect span in all    ${fmt(cold.connect)}`);
console.log(`    the call itself        ${fmt(cold.call)}`);

const gone = new Promise((resolve) => child.once('exit', resolve));
child.kill('SIGTERM');
await gone;
