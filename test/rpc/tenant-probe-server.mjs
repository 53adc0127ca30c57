#!/usr/bin/env node
// A stdio MCP server that reports what its cage lets it see, for the inline-tenant tests:
//   where        -> { cwd, home }: its working directory and HOME
//   list {path}  -> the names in a directory, or the error reading it
//   write {path} -> writes "tenant" to a file, or the error doing so
import { readdirSync, writeFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';

const server = new McpServer({ name: 'tenant-probe', version: '1.0.0' });
const reply = (value) => ({ content: [{ type: 'text', text: JSON.stringify(value) }] });
const attempt = (fn) => {
  try {
    return { ok: fn() ?? true };
  } catch (err) {
    return { error: err.code ?? String(err) };
  }
};

server.registerTool('where', { description: 'cwd and HOME', inputSchema: z.object({}) }, async () => reply({ cwd: process.cwd(), home: process.env.HOME }));
server.registerTool('list', { description: 'lists a directory', inputSchema: z.object({ path: z.string() }) }, async ({ path }) => reply(attempt(() => readdirSync(path))));
server.registerTool('write', { description: 'writes a file', inputSchema: z.object({ path: z.string() }) }, async ({ path }) => reply(attempt(() => writeFileSync(path, 'tenant'))));

await server.connect(new StdioServerTransport());
