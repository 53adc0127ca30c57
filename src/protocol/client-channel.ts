import type { ServerContext } from '@modelcontextprotocol/server';
import type { ClientChannel } from '../upstream/client-channel.js';

/** The client capability each relayed server-to-client request needs (spec: client capabilities). */
const NEEDS: Record<string, string> = { 'sampling/createMessage': 'sampling', 'elicitation/create': 'elicitation', 'roots/list': 'roots' };

export function channelFromContext(
  sctx: ServerContext,
  sessionKey: string,
  era: 'legacy' | 'modern',
  logLevel: string | undefined,
  capabilities: () => Record<string, unknown> | undefined,
): ClientChannel {
  return {
    sessionKey,
    era,
    ...(logLevel !== undefined ? { logLevel } : {}),
    canAnswer: (method) => {
      const needed = NEEDS[method];
      return needed === undefined || Boolean(capabilities()?.[needed]);
    },
    request: (method, params, signal) =>
      sctx.mcpReq.send({ method: method as 'sampling/createMessage', ...(params ? { params } : {}) }, signal ? { signal } : {}) as Promise<Record<string, unknown>>,
    notify: (method, params) => sctx.mcpReq.notify({ method, ...(params ? { params } : {}) }),
  };
}
