import { randomUUID } from 'node:crypto';
import type { JSONRPCMessage, McpServer, ServerCapabilities } from '@modelcontextprotocol/server';
import { OutletError } from '../errors/index.js';
import type { Handler, RequestScope } from '../policy/call-context.js';
import { admitAndServe, type InboundRequest } from './admission.js';
import { routesMethod } from './gateway-server.js';
import { sessionOf, type SessionRegistry } from './session-registry.js';
import { errorResponse } from './error-response.js';
import { LegacySseTransport } from './legacy-sse-transport.js';
import { readJsonBody } from './read-json-body.js';

export interface LegacySseOptions {
  scope: RequestScope;
  sessions: SessionRegistry;
  maxBodyBytes: number;
  maxJsonDepth?: number;
  newServer: () => McpServer;
  /** The policy chain around the router, run when a POSTed request is admitted. */
  handle: Handler;
}

/**
 * Legacy HTTP+SSE sessions of one endpoint, for clients that never moved to Streamable HTTP:
 * `GET <base>/sse` opens a session and `POST <base>/messages?sessionId=` feeds it.
 */
export class LegacySseSessions {
  private readonly open = new Map<string, LegacySseTransport>();
  /**
   * The principal that opened each session: its POSTs must come from the same one, so a leaked
   * session id is no credential (spec: basic/security_best_practices, session hijacking).
   */
  private readonly owners = new Map<string, string | undefined>();
  /** What each session's server routes (fixed when it opened). */
  private readonly capabilities = new Map<string, ServerCapabilities>();

  constructor(private readonly options: LegacySseOptions) {}

  get size(): number {
    return this.open.size;
  }

  /**
   * Opens a session. It counts against http.sessions like a 2025-era one, but its stream is the
   * session itself and stays open, so only its POSTs make it active: one without a POST for the
   * idle timeout is closed (its stream ends, and a later POST gets 404).
   */
  async connect(request: Request, messagesPath: string, security?: InboundRequest): Promise<Response> {
    const { budget } = this.options.sessions;
    let place;
    try {
      place = budget.reserve();
    } catch (err) {
      return errorResponse(err);
    }
    const id = randomUUID();
    const transport = new LegacySseTransport(id, `${messagesPath}?sessionId=${id}`);
    const mcp = this.options.newServer();
    const unregister = this.options.sessions.add(sessionOf(id, this.options.scope, mcp.server));
    transport.onclose = () => {
      this.open.delete(id);
      this.owners.delete(id);
      this.capabilities.delete(id);
      budget.remove(id);
      unregister();
    };
    place.commit(id, () => void transport.close());
    this.open.set(id, transport);
    this.owners.set(id, security?.principalId);
    this.capabilities.set(id, mcp.server.getCapabilities());
    const response = transport.response(request.signal);
    await mcp.connect(transport);
    return response;
  }

  async post(request: Request, security?: InboundRequest): Promise<Response> {
    const id = new URL(request.url).searchParams.get('sessionId');
    const transport = id ? this.open.get(id) : undefined;
    if (!id) return errorResponse(new OutletError('INVALID_REQUEST', 'sessionId query parameter is required (from the endpoint event of GET .../sse)'));
    // Another principal's session id looks exactly like an unknown one.
    if (!transport || this.owners.get(id) !== security?.principalId) {
      return errorResponse(new OutletError('SESSION_NOT_FOUND', `SSE session "${id.slice(0, 64)}" is unknown or has ended; open a new one with GET .../sse`));
    }
    let body: unknown;
    try {
      body = await readJsonBody(request, this.options.maxBodyBytes, this.options.maxJsonDepth);
    } catch (err) {
      return errorResponse(err);
    }
    if (Array.isArray(body)) return errorResponse(new OutletError('BATCH_NOT_SUPPORTED', 'JSON-RPC batches are not accepted; send one message per request'));
    if (!isMessage(body)) return errorResponse(new OutletError('INVALID_REQUEST', 'expected a JSON-RPC 2.0 message object'));
    const capabilities = this.capabilities.get(id) ?? {};
    const target = {
      handle: this.options.handle,
      scope: this.options.scope,
      session: { era: 'legacy', transport: 'sse', id } as const,
      routes: (method: string) => routesMethod(method, capabilities),
    };
    return admitAndServe(target, request, body, security, (bind) => {
      this.options.sessions.budget.touch(id);
      bind(request);
      transport.receive(body, { request, ...(security?.authInfo ? { authInfo: security.authInfo } : {}) });
      return Promise.resolve(new Response('Accepted', { status: 202 }));
    });
  }

  async close(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    this.owners.clear();
    this.capabilities.clear();
    await Promise.all(all.map((t) => t.close()));
  }
}

function isMessage(value: unknown): value is JSONRPCMessage {
  return typeof value === 'object' && value !== null && (value as { jsonrpc?: unknown }).jsonrpc === '2.0';
}
