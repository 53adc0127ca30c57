// read_file of a small file through the gateway: the built-in `files` server in its cage (bwrap
// where it works), called over a 2025-era SDK client on the gateway's own server (in memory).
//   npx tsx bench/builtins/files.ts [--calls 400]
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callsArgument, latencyLine, openGatewayClient, timeCalls } from '../lib/gateway-client.js';

const calls = callsArgument(400);
const root = mkdtempSync(join(tmpdir(), 'outlet-bench-files-'));
chmodSync(root, 0o755); // the cage runs as uid 65534 when the bench is root: the root folder must be readable to it
writeFileSync(join(root, 'note.txt'), 'hello from the bench\n'.repeat(50));

const { client, close } = await openGatewayClient({ servers: { fs: { builtin: 'files', roots: [root] } } }, 30_000);
try {
  const once = () => client.callTool({ name: 'fs__read_file', arguments: { path: 'note.txt' } });
  const first = await once();
  if (first.isError) throw new Error(JSON.stringify(first));
  console.log(latencyLine('files read_file (1 KiB) through the gateway', await timeCalls(once, calls, 50)));
} finally {
  await close();
  rmSync(root, { recursive: true, force: true });
}
