// A lean Streamable HTTP client for load: node:http with a keep-alive agent, one pre-initialized
// 2025-era session (initialize, notifications/initialized, then raw tools/call POSTs carrying
// Mcp-Session-Id). Accepts JSON and SSE responses and parses only what it must, so the client's
// own CPU per call stays small next to the gateway's.
import http from 'node:http';
import type { LeanSession } from './workload.js';

const CLIENT_PROTOCOL_VERSION = '2025-11-25';
const REQUEST_TIMEOUT_MS = 15_000;

interface RawResponse {
  status: number;
  contentType: string;
  sessionId: string | undefined;
  body: string;
}

interface JsonRpcMessage {
  id?: string | number | null;
  result?: { content?: { type?: string; text?: string }[]; protocolVersion?: string; isError?: boolean };
  error?: { code: number; message: string };
}

function send(agent: http.Agent, url: URL, method: string, headers: Record<string, string>, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, host: url.hostname, port: url.port, path: url.pathname, method, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        res.setEncoding('utf8');
        let text = '';
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const sid = res.headers['mcp-session-id'];
          resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? '', sessionId: Array.isArray(sid) ? sid[0] : sid, body: text });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`${method} ${url.pathname}: no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** The JSON-RPC message answering `id`, from a JSON body or from the data lines of an SSE body. */
function messageFor(res: RawResponse, id: number): JsonRpcMessage {
  if (res.status >= 400 && !res.body) throw new Error(`HTTP ${res.status}`);
  if (res.contentType.startsWith('text/event-stream')) {
    let start = 0;
    while (start < res.body.length) {
      let end = res.body.indexOf('\n', start);
      if (end === -1) end = res.body.length;
      if (res.body.startsWith('data:', start)) {
        const data = res.body.slice(start + 5, end).trim();
        if (data) {
          const msg = JSON.parse(data) as JsonRpcMessage;
          if (msg.id === id) return msg;
        }
      }
      start = end + 1;
    }
    throw new Error(`HTTP ${res.status}: no answer to request ${id} in the SSE body`);
  }
  let msg: JsonRpcMessage;
  try {
    msg = JSON.parse(res.body) as JsonRpcMessage;
  } catch {
    throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 200)}`);
  }
  return msg;
}

function check(msg: JsonRpcMessage, text: string): void {
  if (msg.error) throw new Error(`JSON-RPC error ${msg.error.code}: ${msg.error.message}`);
  const got = msg.result?.content?.[0]?.text;
  if (got !== text || msg.result?.isError) throw new Error(`unexpected echo: ${JSON.stringify(msg.result).slice(0, 200)}`);
}

export class LeanHttpSession implements LeanSession {
  private nextId = 2;
  private readonly callHeaders: Record<string, string>;
  private readonly callPrefix: string;

  private constructor(
    private readonly agent: http.Agent,
    private readonly url: URL,
    readonly sessionId: string,
    readonly protocolVersion: string,
    toolName: string,
  ) {
    this.callHeaders = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-session-id': sessionId,
      'mcp-protocol-version': protocolVersion,
    };
    this.callPrefix = `{"jsonrpc":"2.0","method":"tools/call","params":{"name":${JSON.stringify(toolName)},"arguments":{"text":`;
  }

  /** Opens a session: initialize, then notifications/initialized. `maxSockets` bounds calls in flight. */
  static async open(endpoint: string, toolName: string, maxSockets = 64): Promise<LeanHttpSession> {
    const url = new URL(endpoint);
    if (url.hostname !== '127.0.0.1') throw new Error(`only loopback targets: ${endpoint}`);
    const agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
    try {
      const base = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
      const init = await send(
        agent,
        url,
        'POST',
        base,
        JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: CLIENT_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'outlet-bench', version: '1.0.0' } } }),
      );
      const msg = messageFor(init, 1);
      if (msg.error || !init.sessionId) throw new Error(`initialize failed (HTTP ${init.status}): ${msg.error?.message ?? 'no Mcp-Session-Id'}`);
      const version = msg.result?.protocolVersion ?? CLIENT_PROTOCOL_VERSION;
      const ack = await send(agent, url, 'POST', { ...base, 'mcp-session-id': init.sessionId, 'mcp-protocol-version': version }, '{"jsonrpc":"2.0","method":"notifications/initialized"}');
      if (ack.status !== 202 && ack.status !== 200) throw new Error(`notifications/initialized: HTTP ${ack.status} ${ack.body.slice(0, 200)}`);
      return new LeanHttpSession(agent, url, init.sessionId, version, toolName);
    } catch (err) {
      agent.destroy();
      throw err;
    }
  }

  async call(text: string): Promise<void> {
    const id = this.nextId++;
    const res = await send(this.agent, this.url, 'POST', this.callHeaders, `${this.callPrefix}${JSON.stringify(text)}}},"id":${id}}`);
    check(messageFor(res, id), text);
  }

  /** Ends the session (DELETE) and closes the sockets. */
  async close(): Promise<void> {
    try {
      await send(this.agent, this.url, 'DELETE', { 'mcp-session-id': this.sessionId, 'mcp-protocol-version': this.protocolVersion });
    } catch {
      // a server without DELETE support, or one already gone
    } finally {
      this.agent.destroy();
    }
  }
}
