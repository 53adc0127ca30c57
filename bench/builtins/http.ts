// The http built-in's simplest call through the gateway: http_request GET to a local server
// (127.0.0.1, listed), from a client on the gateway's own server (in memory), the built-in in its
// sandbox with the egress proxy in front, as configured by default.
//   npx tsx bench/builtins/http.ts [--calls 300]
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseConfig } from '../../src/config/index.js';
import { Gateway } from '../../src/gateway/gateway.js';
import { silentLogger } from '../../src/observability/logger.js';

const calls = Number(process.argv[process.argv.indexOf('--calls') + 1]) || 300;

const site = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('hello'));
await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
const port = (site.address() as AddressInfo).port;

const config = parseConfig({ servers: { web: { builtin: 'http', allowHosts: [`127.0.0.1:${port}`] } } }, { baseDir: process.cwd() });
const gateway = await Gateway.start(config, { logger: silentLogger() });
try {
  await gateway.supervisor.waitForStartup(30_000);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await gateway.createServer({ kind: 'aggregate' }, { era: 'legacy', transport: 'stdio' }).server.connect(serverSide);
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(clientSide);
  const once = async (): Promise<void> => {
    const result = await client.callTool({ name: 'web__http_request', arguments: { url: `http://127.0.0.1:${port}/` } });
    if (result.isError) throw new Error(JSON.stringify(result.content));
  };
  for (let i = 0; i < 30; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    await once();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (p: number): string => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!.toFixed(3);
  console.log(`http_request GET, local server, through the gateway and egress proxy: p50 ${at(50)} ms  p95 ${at(95)} ms  p99 ${at(99)} ms  (${calls} calls)`);
  await client.close();
} finally {
  await gateway.close();
  site.close();
}
