import { randomUUID } from 'node:crypto';
import {
  SUPPORTED_PROTOCOL_VERSIONS,
  WebStandardStreamableHTTPServerTransport,
  createMcpHandler,
  isLegacyRequest,
  type McpHttpHandler,
  type McpServer,
  type Server,
  type ServerCapabilities,
} from '@modelcontextprotocol/server';
import { OutletError } from '../errors/index.js';
import type { Handler, RequestScope } from '../policy/call-context.js';
import { admitAndServe, type AdmissionTarget, type InboundRequest } from './admission.js';
import { createGatewayServer, routesMethod } from './gateway-server.js';
import type { SessionReservation } from './session-budget.js';
import { sessionOf, type SessionRegistry } from './session-registry.js';
import { carryNodeHeaders } from './trace-carrier.js';
import { errorResponse } from './error-response.js';
import { LegacySseSessions } from './legacy-sse-sessions.js';
import { ListenSubscriptions, listenedUris, onResponseEnd, type SubscriptionTarget } from './listen-subscriptions.js';
import { readJsonBody } from './read-json-body.js';
import { SessionEventStore } from './session-event-store.js';

export type { ListKind } from '../upstream/upstream-connection.js';
import type { ListKind } from '../upstream/upstream-connection.js';

/** How long a 2025-era client waits before reconnecting a dropped SSE stream (the SSE `retry` field). */
const SSE_RETRY_MS = 1000;

/**
 * The version a session negotiated at initialize is the one in force (spec: basic/transports,
 * protocol version header). A client that sends an older but supported value on later requests
 * would otherwise switch the SDK transport's per-request behaviour (priming events, resumable
 * streams) to that older revision; the header is corrected to the negotiated one. An unsupported
 * value is left alone so the transport still answers 400.
 */
function withNegotiatedVersion(request: Request, server: Server): Request {
  const negotiated = server.getNegotiatedProtocolVersion();
  const claimed = request.headers.get('mcp-protocol-version');
  if (negotiated === undefined || claimed === null || claimed === negotiated || !SUPPORTED_PROTOCOL_VERSIONS.includes(claimed)) return request;
  const headers = new Headers(request.headers);
  headers.set('mcp-protocol-version', negotiated);
  return carryNodeHeaders(request, new Request(request, { headers }));
}

export interface McpEndpointOptions {
  scope: RequestScope;
  handle: Handler;
  capabilities: () => ServerCapabilities;
  /** A tool's input schema by the name this endpoint publishes (for SEP-2243 header checks). */
  toolInputSchema?: (name: string) => Record<string, unknown> | undefined;
  maxBodyBytes: number;
  /** Deepest nesting a body may have, checked before parsing (http.maxJsonDepth). */
  maxJsonDepth?: number;
  sessions: SessionRegistry;
  /** Keep recent SSE events per session so a dropped stream can resume. */
  resumable?: boolean;
  /** Upstream resource subscriptions, for 2026 `subscriptions/listen` streams. */
  subscriptions?: SubscriptionTarget;
  /** Which upstream owns a resource URI in this scope. */
  resourceOwner?: (uri: string) => string | undefined;
}

interface LegacySession {
  transport: WebStandardStreamableHTTPServerTransport;
  server: Server;
  unregister: () => void;
  /** The principal that opened the session; every later request must come from it. */
  principalId?: string;
}

export type { InboundRequest } from './admission.js';

/** A session id naming a session of someone else looks exactly like an unknown one. */
function sessionNotFound(sessionId: string): Response {
  return errorResponse(new OutletError('SESSION_NOT_FOUND', `session "${sessionId.slice(0, 64)}" is unknown or has ended; start a new one with initialize`));
}

/**
 * One MCP endpoint (`/mcp`, or `/servers/<name>/mcp`) serving both protocol eras on one path:
 * 2026-07-28 requests are stateless and go to the SDK's per-request handler; 2025-era clients get
 * real sessions (`Mcp-Session-Id`, GET stream, DELETE) on the SDK's Streamable HTTP transport.
 */
export class McpEndpoint {
  private readonly sessions = new Map<string, LegacySession>();
  private readonly modern: McpHttpHandler;
  /** Legacy HTTP+SSE sessions (GET .../sse, POST .../messages) on the same scope. */
  readonly sse: LegacySseSessions;
  private readonly listens?: ListenSubscriptions;

  constructor(private readonly options: McpEndpointOptions) {
    this.modern = createMcpHandler(
      () => this.newServer('modern'),
      { legacy: 'reject', maxRequestBodySize: options.maxBodyBytes },
    );
    this.sse = new LegacySseSessions({
      scope: options.scope,
      sessions: options.sessions,
      maxBodyBytes: options.maxBodyBytes,
      ...(options.maxJsonDepth !== undefined ? { maxJsonDepth: options.maxJsonDepth } : {}),
      newServer: () => this.newServer('legacy', 'sse'),
      handle: options.handle,
    });
    if (options.subscriptions && options.resourceOwner) {
      this.listens = new ListenSubscriptions({
        key: `listen:${randomUUID()}`,
        scope: options.scope,
        sessions: options.sessions,
        hub: options.subscriptions,
        ownerOf: options.resourceOwner,
        publish: (uri) => this.modern.notify.resourceUpdated(uri),
      });
    }
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /**
   * Serves one HTTP request. `readBody`, when given, reads the POST body faster than the Web
   * stream (the Node adapter passes one); it must honour the same size limit. `security`, when
   * given, carries the caller's identity and how the HTTP layer answers a refusal; the policy
   * chain then runs when the message is admitted (admission.ts).
   */
  async fetch(request: Request, readBody?: () => Promise<unknown>, security?: InboundRequest): Promise<Response> {
    const authInfo = security?.authInfo;
    const sessionId = request.headers.get('mcp-session-id');
    if (sessionId) {
      const session = this.sessions.get(sessionId);
      if (!session || session.principalId !== security?.principalId) return sessionNotFound(sessionId);
      // Busy until the answer (or the GET stream) ends: a session with work under way is never idle.
      const done = this.options.sessions.budget.begin(sessionId);
      try {
        return onResponseEnd(await this.onSession(session, request, readBody, security), request.signal, done);
      } catch (err) {
        done();
        throw err;
      }
    }
    if (request.method === 'GET' || request.method === 'DELETE') {
      return errorResponse(new OutletError('INVALID_REQUEST', `${request.method} needs an Mcp-Session-Id header (2025-era sessions only)`), null);
    }
    if (request.method !== 'POST') {
      return new Response(null, { status: 405, headers: { allow: 'GET, POST, DELETE' } });
    }
    let body: unknown;
    try {
      body = readBody ? await readBody() : await readJsonBody(request, this.options.maxBodyBytes, this.options.maxJsonDepth);
    } catch (err) {
      return errorResponse(err);
    }
    if (Array.isArray(body)) {
      return errorResponse(new OutletError('BATCH_NOT_SUPPORTED', 'JSON-RPC batches are not accepted; send one message per request'));
    }
    if (!(await isLegacyRequest(request, body, { maxRequestBodySize: this.options.maxBodyBytes }))) {
      return admitAndServe(this.target('modern', undefined, this.options.capabilities()), request, body, security, async (bind) => {
        bind(request);
        const options = { parsedBody: body, ...(authInfo ? { authInfo } : {}) };
        const uris = this.listens ? listenedUris(body) : undefined;
        if (!uris?.length || !this.listens) return this.modern.fetch(request, options);
        // A 2026 listen stream with resource subscriptions: held upstream while the stream is open.
        const release = this.listens.open(uris);
        return onResponseEnd(await this.modern.fetch(request, options), request.signal, release);
      });
    }
    const refused = security?.checkMessage?.(body);
    if (refused) return refused;
    return this.openSession(request, body, security);
  }

  /** Where a message on this endpoint is admitted: its chain, scope and session, and what its server routes. */
  private target(era: 'legacy' | 'modern', sessionId: string | undefined, capabilities: ServerCapabilities): AdmissionTarget {
    return {
      handle: this.options.handle,
      scope: this.options.scope,
      session: { era, transport: 'streamable-http', ...(sessionId !== undefined ? { id: sessionId } : {}) },
      routes: (method) => routesMethod(method, capabilities),
    };
  }

  private async onSession(session: LegacySession, request: Request, readBody: (() => Promise<unknown>) | undefined, security: InboundRequest | undefined): Promise<Response> {
    const authInfo = security?.authInfo;
    const req = withNegotiatedVersion(request, session.server);
    if (request.method !== 'POST' || (!readBody && !security)) return session.transport.handleRequest(req, authInfo ? { authInfo } : undefined);
    let parsedBody: unknown;
    try {
      parsedBody = readBody ? await readBody() : await readJsonBody(request, this.options.maxBodyBytes, this.options.maxJsonDepth);
    } catch (err) {
      return errorResponse(err);
    }
    if (Array.isArray(parsedBody)) return errorResponse(new OutletError('BATCH_NOT_SUPPORTED', 'JSON-RPC batches are not accepted; send one message per request'));
    const target = this.target('legacy', session.transport.sessionId, session.server.getCapabilities());
    return admitAndServe(target, req, parsedBody, security, (bind) => {
      bind(req);
      return session.transport.handleRequest(req, { parsedBody, ...(authInfo ? { authInfo } : {}) });
    });
  }

  /** A 2025-era POST without a session: `initialize` opens one; anything else is told to. */
  private async openSession(request: Request, body: unknown, security?: InboundRequest): Promise<Response> {
    const method = (body as { method?: unknown } | null)?.method;
    if (method !== 'initialize') {
      const id = (body as { id?: string | number } | null)?.id ?? null;
      return errorResponse(new OutletError('INVALID_REQUEST', 'no Mcp-Session-Id: send initialize first to open a session (or use protocol 2026-07-28, which needs none)'), id);
    }
    let place: SessionReservation;
    try {
      place = this.options.sessions.budget.reserve();
    } catch (err) {
      return errorResponse(err, (body as { id?: string | number } | null)?.id ?? null);
    }
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      // Resumable streams for 2025-era clients (Last-Event-ID); bounded per session.
      ...(this.options.resumable ? { eventStore: new SessionEventStore(), retryInterval: SSE_RETRY_MS } : {}),
      onsessioninitialized: (id) => {
        const unregister = this.options.sessions.add(sessionOf(id, this.options.scope, server));
        this.sessions.set(id, { transport, server, unregister, ...(security?.principalId !== undefined ? { principalId: security.principalId } : {}) });
        place.commit(id, () => this.endSession(id));
      },
      onsessionclosed: (id) => this.endSession(id),
    });
    const server = this.newServer('legacy').server;
    transport.onclose = () => {
      if (transport.sessionId) this.endSession(transport.sessionId);
    };
    try {
      await server.connect(transport);
      return await transport.handleRequest(request, { parsedBody: body, ...(security?.authInfo ? { authInfo: security.authInfo } : {}) });
    } finally {
      // An initialize the transport refused opened no session: its place is given back.
      place.cancel();
    }
  }

  private endSession(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    this.options.sessions.budget.remove(id);
    session.unregister();
    // A DELETE only marks the session ended; closing the transport is what tells the session's
    // server (which then cancels the calls it still has running upstream).
    void session.transport.close().catch(() => undefined);
  }

  private newServer(era: 'legacy' | 'modern', transport: 'streamable-http' | 'sse' = 'streamable-http'): McpServer {
    return createGatewayServer({
      ...(this.options.toolInputSchema ? { toolInputSchema: this.options.toolInputSchema } : {}),
      scope: this.options.scope,
      session: { era, transport },
      handle: this.options.handle,
      capabilities: this.options.capabilities(),
      // legacy sessions are keyed by their Mcp-Session-Id; a 2026 request stands alone
      sessionKey: `${era}:${randomUUID()}`,
    });
  }

  /** Tells every open session (and every open 2026 subscription stream) that lists changed. */
  notifyListChanged(kinds: ReadonlySet<ListKind>): void {
    for (const { server } of this.sessions.values()) {
      if (kinds.has('tools')) void server.sendToolListChanged().catch(() => undefined);
      if (kinds.has('prompts')) void server.sendPromptListChanged().catch(() => undefined);
      if (kinds.has('resources')) void server.sendResourceListChanged().catch(() => undefined);
    }
    if (kinds.has('tools')) this.modern.notify.toolsChanged();
    if (kinds.has('prompts')) this.modern.notify.promptsChanged();
    if (kinds.has('resources')) this.modern.notify.resourcesChanged();
  }

  /** Ends every session and the modern leg. */
  async close(): Promise<void> {
    const sessions = [...this.sessions.values()];
    for (const id of this.sessions.keys()) this.options.sessions.budget.remove(id);
    this.sessions.clear();
    for (const s of sessions) s.unregister();
    await Promise.all(sessions.map((s) => s.transport.close().catch(() => undefined)));
    await this.sse.close();
    this.listens?.close();
    await this.modern.close();
  }
}
