// The http built-in's simplest call through the gateway: http_request GET to a local server
// (127.0.0.1, listed), from a client on the gateway's own server (in memory), the built-in in its
// sandbox with the egress proxy in front, as configured by default.
//   npx tsx bench/builtins/http.ts [--calls 300]
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callsArgument, latencyLine, openGatewayClient, timeCalls } from '../lib/gateway-client.js';

const calls = callsArgument(300);

const site = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('hello'));
await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
const port = (site.address() as AddressInfo).port;

const { client, close } = await openGatewayClient({ servers: { web: { builtin: 'http', allowHosts: [`127.0.0.1:${port}`] } } }, 30_000);
try {
  const once = async (): Promise<void> => {
    const result = await client.callTool({ name: 'web__http_request', arguments: { url: `http://127.0.0.1:${port}/` } });
    if (result.isError) throw new Error(JSON.stringify(result.content));
  };
  console.log(latencyLine('http_request GET, local server, through the gateway and egress proxy', await timeCalls(once, calls)));
} finally {
  await close();
  site.close();
}
