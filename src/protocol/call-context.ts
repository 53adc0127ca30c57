import type { CallContext, Principal, RequestScope, SessionInfo } from '../policy/call-context.js';
import type { ClientChannel } from '../upstream/client-channel.js';

/** What the transport knows of one request besides its method and params. */
export interface CallOrigin {
  scope: RequestScope;
  session: SessionInfo;
  /** Aborted when the client cancels or goes away. */
  signal: AbortSignal;
  /** The principal authentication established; absent when authentication is off. */
  principal?: Principal | undefined;
  headers?: CallContext['headers'];
  rpcId?: string | number | undefined;
  progress?: CallContext['progress'];
  /** The way back to the client mid-call; a plain HTTP caller (REST, `/rpc`) has none. */
  channel?: ClientChannel | undefined;
  envelope?: Record<string, unknown> | undefined;
  /** The policies' scratch space, possibly holding what admission already decided. */
  state: Map<string, unknown>;
}

/**
 * The one place a request's parsed view is built, whatever transport it came over (an MCP
 * session, a 2026-07-28 request, stdio, REST or `/rpc`): the names policies read (tool, prompt,
 * resource) come from the params the same way for all of them.
 */
export function createCallContext(method: string, params: Record<string, unknown>, origin: CallOrigin): CallContext {
  const name = typeof params.name === 'string' ? params.name : undefined;
  const uri = typeof params.uri === 'string' ? params.uri : undefined;
  return {
    method,
    params,
    scope: origin.scope,
    ...(method === 'tools/call' && name !== undefined ? { toolName: name } : {}),
    ...(method === 'prompts/get' && name !== undefined ? { promptName: name } : {}),
    ...(uri !== undefined ? { resourceUri: uri } : {}),
    session: origin.session,
    ...(origin.principal ? { principal: origin.principal } : {}),
    signal: origin.signal,
    ...(origin.headers ? { headers: origin.headers } : {}),
    rpcId: origin.rpcId,
    ...(origin.progress ? { progress: origin.progress } : {}),
    channel: origin.channel,
    ...(origin.envelope ? { envelope: origin.envelope } : {}),
    state: origin.state,
    // Declared empty, so observability setting it later does not change the context's shape.
    observation: undefined,
  };
}
