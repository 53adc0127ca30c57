import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { EgressDecision } from './egress-decision.js';
import type { EgressRefusal } from './types.js';

/** What the CONNECT and plain-HTTP handlers share: the decision (which counts refusals) and cleanup. */
export interface EgressContext {
  /** Decides `host:port` (canonical host); a refusal is counted and reported before this resolves. */
  decide(host: string, port: number, method: string): Promise<EgressDecision>;
  /** Counts and reports a refusal made after the decision (a tunnel's TLS server name). */
  refuse(refusal: EgressRefusal): void;
  connectTimeoutMs: number;
  /** Registers an outbound socket so that closing the proxy also cuts it. */
  track(socket: Duplex): void;
}

/** The text a refused client reads; it names the proxy so that nobody mistakes it for the target's answer. */
export function refusalBody(reason: string): string {
  return `mcp-outlet egress proxy: ${reason}\n`;
}

/** Answers a plain-HTTP proxy request with an error and closes the connection. */
export function replyError(res: ServerResponse, status: number, reason: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = refusalBody(reason);
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' });
  res.end(body);
}

/** Answers a CONNECT (whose socket no longer belongs to the HTTP server) with an error, then ends it. */
export function rejectTunnel(socket: Duplex, status: number, reason: string): void {
  if (socket.destroyed) return;
  const body = refusalBody(reason);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
