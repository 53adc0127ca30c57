// What one execute_command costs through the gateway: the shell built-in (in its bubblewrap cage,
// as configured by default) running `true`, and git_status on a one-commit repository, over an
// SDK client on the gateway's own server (in memory, as stdio callers reach it).
//   npx tsx bench/builtins/shell.ts [--calls 300]
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callsArgument, latencyLine, openGatewayClient, timeCalls } from '../lib/gateway-client.js';

const calls = callsArgument(300);

const dir = mkdtempSync(join(tmpdir(), 'outlet-bench-shell-'));
const repo = join(dir, 'repo');
execFileSync('git', ['init', '-q', repo]);
writeFileSync(join(repo, 'a.txt'), 'a\n');
execFileSync('git', ['-C', repo, 'add', 'a.txt']);
execFileSync('git', ['-C', repo, '-c', 'user.name=b', '-c', 'user.email=b@example.com', 'commit', '-qm', 'a']);
if (process.getuid?.() === 0) chownSync(dir, 65534, 65534);

const { client, close } = await openGatewayClient({ servers: { sh: { builtin: 'shell', allowCommands: ['true', 'echo'], roots: [dir] }, g: { builtin: 'git', roots: [repo] } } }, 30_000);
try {
  const call = async (name: string, args: Record<string, unknown>) => {
    const result = await client.callTool({ name, arguments: args });
    if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
  };
  console.log(latencyLine('execute_command true', await timeCalls(() => call('sh__execute_command', { command: 'true' }), calls), 28));
  console.log(latencyLine('git_status', await timeCalls(() => call('g__git_status', {}), calls), 28));
} finally {
  await close();
  rmSync(dir, { recursive: true, force: true });
}
