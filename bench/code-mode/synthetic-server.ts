// A stdio MCP server that lists the seeded synthetic catalog (synthetic-catalog.ts) and answers
// every call with its arguments: the upstream of search-gateway.ts.
//   node --import tsx bench/code-mode/synthetic-server.ts [tools]
import { Server } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { syntheticCatalog } from './synthetic-catalog.js';

const tools = syntheticCatalog(Number(process.argv[2] ?? 10_000));
const server = new Server({ name: 'synthetic', version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler('tools/list', () => ({ tools }));
server.setRequestHandler('tools/call', (request) => ({ content: [{ type: 'text', text: JSON.stringify(request.params.arguments ?? {}) }] }));
await server.connect(new StdioServerTransport());
