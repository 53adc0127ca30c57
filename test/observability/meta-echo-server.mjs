#!/usr/bin/env node
// A stdio MCP server for the observability tests:
//   echo_meta  (no inputSchema: the SDK passes ctx first) answers with its request's _meta as JSON,
//              after a line on stderr (a console line that belongs inside the upstream span)
//   login      echoes its arguments, on stderr too (an upstream that leaks what it is given)
//   fail       throws (the SDK answers a tool error, isError: true)
//   sleep {ms} answers after ms milliseconds
// With OBS_BOOT_LINE set, it prints that line on stderr before it starts serving (a console line
// that belongs inside the connect span).
import { McpServer } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const server = new McpServer({ name: 'meta-echo', version: '1.0.0' });

server.registerTool('echo_meta', { description: "answers with its request's _meta" }, async (ctx) => {
  process.stderr.write('echo_meta: called\n');
  // stderr and stdout are two pipes: give the line time to reach the gateway before the answer does.
  await pause(30);
  return { content: [{ type: 'text', text: JSON.stringify(ctx.mcpReq._meta ?? {}) }] };
});

server.registerTool('login', { description: 'echoes its arguments, also on stderr', inputSchema: z.looseObject({}) }, async (args) => {
  process.stderr.write(`login: ${JSON.stringify(args)}\n`);
  await pause(30);
  return { content: [{ type: 'text', text: `logged in with ${JSON.stringify(args)}` }] };
});

server.registerTool('fail', { description: 'always fails', inputSchema: z.looseObject({}) }, async () => {
  throw new Error('fail: it broke on purpose');
});

server.registerTool('sleep', { description: 'answers after ms milliseconds', inputSchema: z.object({ ms: z.number() }) }, async ({ ms }) => {
  await pause(ms);
  return { content: [{ type: 'text', text: `slept ${ms}` }] };
});

if (process.env.OBS_BOOT_LINE) process.stderr.write(`${process.env.OBS_BOOT_LINE}\n`);
await server.connect(new StdioServerTransport());
