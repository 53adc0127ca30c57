import { McpServer, type CallToolResult } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import type { ServerDefinition, ToolDefinition } from './define.js';

/** The SDK server for a definition: each tool registered with its schemas and annotations. */
export function createMcpServer(definition: ServerDefinition): McpServer {
  const server = new McpServer({ name: definition.name, version: definition.version }, definition.instructions ? { instructions: definition.instructions } : {});
  for (const tool of definition.tools) {
    server.registerTool(
      tool.name,
      {
        ...(tool.title ? { title: tool.title } : {}),
        description: tool.description,
        inputSchema: tool.input,
        ...(tool.output ? { outputSchema: tool.output } : {}),
        annotations: tool.annotations,
      },
      async (args: unknown, extra: { signal?: AbortSignal; mcpReq?: { signal?: AbortSignal } }) => toResult(tool, await tool.run(args as never, { signal: extra.mcpReq?.signal ?? extra.signal ?? new AbortController().signal })),
    );
  }
  return server;
}

function toResult(tool: ToolDefinition, answer: unknown): CallToolResult {
  if (typeof answer === 'string') return { content: [{ type: 'text', text: answer }] };
  if (tool.output) return { content: [{ type: 'text', text: JSON.stringify(answer) }], structuredContent: answer as Record<string, unknown> };
  if (typeof answer === 'object' && answer !== null && Array.isArray((answer as CallToolResult).content)) return answer as CallToolResult;
  return { content: [{ type: 'text', text: JSON.stringify(answer) }] };
}

/** Serves a definition on this process's stdin and stdout until stdin ends. */
export async function serveOverStdio(definition: ServerDefinition): Promise<void> {
  const server = createMcpServer(definition);
  await server.connect(new StdioServerTransport());
}
