import { request, type IncomingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Destination } from './destination.js';

export interface Answer {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** True when the body was longer than the cap and was cut there. */
  truncated: boolean;
}

/**
 * Sends one request on an open connection and reads the answer, keeping at most `maxBytes` of
 * the body: past that the connection is dropped and the answer is marked truncated (the rest is
 * never read, so a huge or endless body costs no more than the cap). `keepBody: false` (a
 * redirect) reads nothing.
 */
export function exchange(connection: Duplex, destination: Destination, init: { method: string; headers: Record<string, string>; body?: Buffer; maxBytes: number; signal: AbortSignal; keepBody?: (status: number) => boolean }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...init.headers, host: destination.url.host, connection: 'close' };
    if (init.body !== undefined) headers['content-length'] = String(init.body.length);
    const req = request({
      method: init.method,
      path: `${destination.url.pathname}${destination.url.search}`,
      headers,
      setHost: false,
      // No agent: with createConnection and no agent, Node uses the given connection (agent: false would build a new Agent that dials host itself).
      createConnection: () => connection as never,
      signal: init.signal,
    });
    req.once('error', (err: NodeJS.ErrnoException) => reject(init.signal.aborted && init.signal.reason instanceof Error ? init.signal.reason : new Error(`${destination.authority}: ${err.code ?? err.message}`)));
    req.once('response', (res) => {
      const status = res.statusCode ?? 0;
      const base = { status, statusText: res.statusMessage ?? '', headers: res.headers };
      if (init.keepBody && !init.keepBody(status)) {
        res.destroy();
        return resolve({ ...base, body: Buffer.alloc(0), truncated: false });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      res.on('data', (chunk: Buffer) => {
        if (truncated) return;
        const room = init.maxBytes - size;
        if (chunk.length > room) {
          truncated = true;
          chunks.push(chunk.subarray(0, room));
          size += room;
          // Settled before the connection is dropped: destroying emits 'aborted' at once.
          resolve({ ...base, body: Buffer.concat(chunks), truncated });
          res.destroy();
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      res.once('end', () => resolve({ ...base, body: Buffer.concat(chunks), truncated }));
      res.once('error', (err) => reject(init.signal.aborted && init.signal.reason instanceof Error ? init.signal.reason : err));
      res.once('aborted', () => reject(new Error(`${destination.authority}: the connection closed before the body ended`)));
    });
    req.end(init.body);
  });
}
