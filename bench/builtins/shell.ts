// What one execute_command costs through the gateway: the shell built-in (in its bubblewrap cage,
// as configured by default) running `true`, and git_status on a one-commit repository, over an
// SDK client on the gateway's own server (in memory, as stdio callers reach it).
//   npx tsx bench/builtins/shell.ts [--calls 300]
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { parseConfig } from '../../src/config/index.js';
import { Gateway } from '../../src/gateway/gateway.js';
import { silentLogger } from '../../src/observability/logger.js';

const calls = Number(process.argv[process.argv.indexOf('--calls') + 1]) || 300;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(label: string, once: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 30; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    await once();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  console.log(`${label.padEnd(28)} p50 ${percentile(times, 50).toFixed(3)} ms  p95 ${percentile(times, 95).toFixed(3)} ms`);
}

const dir = mkdtempSync(join(tmpdir(), 'outlet-bench-shell-'));
const repo = join(dir, 'repo');
execFileSync('git', ['init', '-q', repo]);
writeFileSync(join(repo, 'a.txt'), 'a\n');
execFileSync('git', ['-C', repo, 'add', 'a.txt']);
execFileSync('git', ['-C', repo, '-c', 'user.name=b', '-c', 'user.email=b@example.com', 'commit', '-qm', 'a']);
if (process.getuid?.() === 0) chownSync(dir, 65534, 65534);

const config = parseConfig({ servers: { sh: { builtin: 'shell', allowCommands: ['true', 'echo'], roots: [dir] }, g: { builtin: 'git', roots: [repo] } } }, { baseDir: process.cwd() });
const gateway = await Gateway.start(config, { logger: silentLogger() });
try {
  await gateway.supervisor.waitForStartup(30_000);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await gateway.createServer({ kind: 'aggregate' }, { era: 'legacy', transport: 'stdio' }).server.connect(serverSide);
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(clientSide);
  const call = async (name: string, args: Record<string, unknown>) => {
    const result = await client.callTool({ name, arguments: args });
    if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
  };
  await measure('execute_command true', () => call('sh__execute_command', { command: 'true' }));
  await measure('git_status', () => call('g__git_status', {}));
  await client.close();
} finally {
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
}
