#!/usr/bin/env node
// A stdio MCP server that says which process answered and what that process remembers, for the
// instance-mode tests. Every process draws its own id at start (a pid would not do: inside the
// sandbox every server is pid 2 or so of its own namespace).
//   whoami       -> { id, calls }: this process and how many calls it has served (its state)
//   hold {ms}    -> the same, after ms milliseconds (a call that stays in flight)
//   ask          -> asks the calling client for a completion, answers { id, answer }
// With a directory as its first argument, a file named `extra` appearing in it adds the tool
// `extra` (the SDK then sends notifications/tools/list_changed).
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { McpServer, inputRequired, inputResponse } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';

const id = randomUUID();
let calls = 0;
const server = new McpServer({ name: 'probe', version: '1.0.0' });
const reply = (value) => ({ content: [{ type: 'text', text: JSON.stringify(value) }] });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

server.registerTool('whoami', { description: 'this process and its call count', inputSchema: z.object({}) }, async () => reply({ id, calls: ++calls }));
server.registerTool('hold', { description: 'answers after ms milliseconds', inputSchema: z.object({ ms: z.number() }) }, async ({ ms }) => {
  await sleep(ms);
  return reply({ id, calls: ++calls });
});
server.registerTool('ask', { description: 'asks the client for a completion', inputSchema: z.object({ holdMs: z.number() }) }, async ({ holdMs }, ctx) => {
  const answer = inputResponse(ctx.mcpReq.inputResponses, 'completion');
  if (answer.kind !== 'sampling') {
    // Held first, so that calls from several sessions are in flight when the question goes out.
    await sleep(holdMs);
    return inputRequired({ inputRequests: { completion: inputRequired.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: 'who are you?' } }], maxTokens: 10 }) } });
  }
  const content = Array.isArray(answer.result.content) ? answer.result.content[0] : answer.result.content;
  return reply({ id, answer: content?.type === 'text' ? content.text : '' });
});

const watched = process.argv[2];
if (watched) {
  const timer = setInterval(() => {
    if (!existsSync(join(watched, 'extra'))) return;
    clearInterval(timer);
    server.registerTool('extra', { description: 'appeared at run time', inputSchema: z.object({}) }, async () => reply({ id }));
  }, 50);
  timer.unref();
}
await server.connect(new StdioServerTransport());
