// p50 of each built-in's simplest call through the whole gateway (chain, router, the built-in's
// process in its cage), over a 2025-era SDK client on the gateway's own server in memory.
//   npx tsx bench/builtins/simple-calls.ts [--calls 200]
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callsArgument, latencyLine, openGatewayClient, timeCalls } from '../lib/gateway-client.js';

const calls = callsArgument(200);
const cases: [label: string, tool: string, args: Record<string, unknown>][] = [
  ['time: get_current_time', 'time__get_current_time', {}],
  ['system: get_system_info', 'system__get_system_info', {}],
  ['python: execute_python print(1)', 'python__execute_python', { code: 'print(1)' }],
  ['search: search (20 files)', 'search__search', { query: 'gateway policy' }],
  ['notify: send_notification (local)', 'notify__send_notification', { target: 'local', text: 'hello' }],
];

// A small tree for search (readable by the sandbox's uid), and a local webhook receiver for notify.
const docs = mkdtempSync(join(tmpdir(), 'outlet-bench-docs-'));
chmodSync(docs, 0o755);
for (let i = 0; i < 20; i++) writeFileSync(join(docs, `note-${i}.md`), `# Note ${i}\n\nThe gateway applies its policy chain to call ${i}, then routes it.\n`);
const receiver = createServer((req, res) => req.resume().on('end', () => res.writeHead(200).end('ok')));
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

const { client, close } = await openGatewayClient({
  servers: {
    time: { builtin: 'time' },
    system: { builtin: 'system' },
    python: { builtin: 'python' },
    search: { builtin: 'search', roots: [docs] },
    notify: { builtin: 'notify', webhooks: { local: hook } },
  },
});
try {
  for (const [label, tool, args] of cases) {
    const first = await client.callTool({ name: tool, arguments: args });
    // A figure of error answers would measure the wrong thing.
    if (first.isError) throw new Error(`${label}: ${JSON.stringify(first.content)}`);
    console.log(latencyLine(label, await timeCalls(() => client.callTool({ name: tool, arguments: args }), calls, 20)));
  }
} finally {
  await close();
  receiver.close();
}
