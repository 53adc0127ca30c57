// Spawn cost of the bubblewrap backend against a plain spawn, the way the gateway spawns (its own
// process group, the sandbox built per process and cleaned up after): to exit for /bin/true (the
// cage alone), and to the answered `initialize` for the echo server (what an instance start pays).
import { fileURLToPath } from 'node:url';
import { buildSandboxedSpawn, detectSandboxSupport, resolveSandboxProfile } from '../../src/sandbox/index.js';
import { spawnGroupLeader } from '../../src/sandbox/process-group.js';
import { upstreamEnvironment } from '../../src/upstream/stdio-client.js';
import type { SpawnSpec } from '../../src/sandbox/spawn-spec.js';
import { median, nowMs, round } from './stats.js';

const ECHO = fileURLToPath(new URL('./echo-server.mjs', import.meta.url));
const INITIALIZE = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } };

type Backend = 'none' | 'bubblewrap';

function wrap(spec: SpawnSpec, backend: Backend): { spec: SpawnSpec; cleanup: () => void } {
  const built = buildSandboxedSpawn(spec, resolveSandboxProfile({ backend }), detectSandboxSupport());
  return { spec: built.spec, cleanup: () => built.cleanup() };
}

/** Spawn to exit of /bin/true. */
async function toExit(backend: Backend): Promise<number> {
  const start = nowMs();
  const { spec, cleanup } = wrap({ command: '/bin/true', args: [], env: upstreamEnvironment({}), cwd: process.cwd() }, backend);
  const child = spawnGroupLeader(spec);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const took = nowMs() - start;
  cleanup();
  if (code !== 0) throw new Error(`/bin/true under ${backend} exited with ${code}`);
  return took;
}

/** Spawn to the echo server's answer to initialize. */
async function toInitialized(backend: Backend): Promise<number> {
  const start = nowMs();
  const { spec, cleanup } = wrap({ command: process.execPath, args: [ECHO], env: upstreamEnvironment({}), cwd: process.cwd() }, backend);
  const child = spawnGroupLeader(spec);
  child.stdin.write(`${JSON.stringify(INITIALIZE)}\n`);
  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      if (buffered.includes('"id":1')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`echo server under ${backend} exited with ${code} before initialize`)));
  });
  const took = nowMs() - start;
  const gone = new Promise((resolve) => child.once('close', resolve));
  child.stdin.end();
  process.kill(-child.pid!, 'SIGTERM');
  await gone;
  cleanup();
  return took;
}

export interface SpawnCost {
  runs: number;
  trueExitMs: { plain: number; bubblewrap: number; added: number };
  initializeMs: { plain: number; bubblewrap: number; added: number };
}

/** Medians of `runs` alternating runs of each (alternating spreads any drift of the machine evenly). */
export async function measureSpawnCost(runs = 20): Promise<SpawnCost> {
  const samples = { trueNone: [] as number[], trueBwrap: [] as number[], initNone: [] as number[], initBwrap: [] as number[] };
  for (let i = 0; i < runs; i++) {
    samples.trueNone.push(await toExit('none'));
    samples.trueBwrap.push(await toExit('bubblewrap'));
    samples.initNone.push(await toInitialized('none'));
    samples.initBwrap.push(await toInitialized('bubblewrap'));
  }
  const pair = (plain: number[], caged: number[]) => ({ plain: round(median(plain)), bubblewrap: round(median(caged)), added: round(median(caged) - median(plain)) });
  return { runs, trueExitMs: pair(samples.trueNone, samples.trueBwrap), initializeMs: pair(samples.initNone, samples.initBwrap) };
}
