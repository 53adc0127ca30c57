import { EVERYTHING, TINY } from './servers.js';

/**
 * Server entries for the shared tool fixtures, so a test names what it needs instead of spelling
 * the command line. tiny-server publishes echoing tools (TINY_* variables steer it, see the
 * fixture's header); server-everything is the reference server of the MCP project.
 */
export function tinyServer(env: Record<string, string> = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { command: process.execPath, args: [TINY], ...(Object.keys(env).length > 0 ? { env } : {}), ...extra };
}

/** tiny-server publishing exactly these tools, each echoing `{ tool, args }` as JSON text. */
export function tinyTools(...tools: string[]): Record<string, unknown> {
  return tinyServer({ TINY_TOOLS: tools.join(',') });
}

/** server-everything over stdio. */
export function everythingServer(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { command: process.execPath, args: [EVERYTHING, 'stdio'], ...extra };
}

/** What tiny-server's echoing tool answers for a call, as the text of its first content block. */
export function tinyAnswer(tool: string, args: Record<string, unknown>): string {
  return JSON.stringify({ tool, args });
}

/** server-everything's two ways in, configured as `everything`: its own route (own names) and the aggregate (prefixed names). */
export const EVERYTHING_ROUTES: ReadonlyArray<readonly [path: string, prefix: string]> = [
  ['/servers/everything/mcp', ''],
  ['/mcp', 'everything__'],
];
