import { TINY } from '../helpers/servers.js';

/**
 * The outlet every form serves while the vectors run: one real stdio upstream, the tiny fixture
 * server, publishing one tool `echo` (so `tiny__echo` on /mcp, `echo` on /servers/tiny/mcp) that
 * answers with the text `{"tool":"echo","args":<its arguments>}`.
 */
export function fixtureConfig(): Record<string, unknown> {
  return { servers: { tiny: { command: process.execPath, args: [TINY], env: { TINY_TOOLS: 'echo' } } } };
}
