// What code mode adds to one tool call: the same tool called directly, and from an execute_code
// program that makes that one call (sandbox start, the program, the inner call through the whole
// policy chain, the result back). Both over a 2025-era SDK client on the gateway's own server
// (in memory, as stdio callers reach it), so the figures compare the gateway's work alone.
//   npx tsx bench/code-mode/execute.ts [--calls 400]
import { callsArgument, latencyLine, openGatewayClient, timeCalls } from '../lib/gateway-client.js';

const TINY = new URL('../../test/fixtures/tiny-server.mjs', import.meta.url).pathname;
const calls = callsArgument(400);

const { client, close } = await openGatewayClient(
  { servers: { tiny: { command: process.execPath, args: [TINY], env: { TINY_TOOLS: 'alpha' }, sandbox: { backend: 'none' } } }, codeMode: { mode: 'hybrid', pinned: ['tiny__alpha'] } },
  20_000,
);
try {
  const direct = await timeCalls(() => client.callTool({ name: 'tiny__alpha', arguments: { n: 1 } }), calls, 50);
  console.log(latencyLine('direct tools/call', direct));
  const empty = await timeCalls(() => client.callTool({ name: 'execute_code', arguments: { code: 'return 1' } }), calls, 50);
  console.log(latencyLine('execute_code, no tool call', empty));
  const one = await timeCalls(() => client.callTool({ name: 'execute_code', arguments: { code: 'return await tools["tiny__alpha"]({ n: 1 })' } }), calls, 50);
  console.log(latencyLine('execute_code, one tool call', one));
  console.log(`added by code mode to one call: ${(one.p50Ms - direct.p50Ms).toFixed(3)} ms p50 (sandbox start and program alone: ${empty.p50Ms.toFixed(3)} ms)`);
} finally {
  await close();
}
