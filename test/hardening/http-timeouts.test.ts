import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import { startTestOutlet } from '../helpers/outlet.js';

let outlet: OutletRuntime;
let port: number;

beforeAll(async () => {
  outlet = await startTestOutlet({ servers: {}, http: { headersTimeoutMs: 400, bodyTimeoutMs: 800, keepAliveTimeoutMs: 300 } });
  port = Number(new URL(outlet.url).port);
});

afterAll(async () => {
  await outlet?.close();
});

interface Trickled {
  /** Bytes of the request sent before the server closed the connection (or all of them). */
  sent: number;
  answer: string;
  closedByServer: boolean;
}

/**
 * Sends `head` at once, then `rest` one byte every `stepMs`, stopping when the server closes the
 * connection. The request is far longer than the bound allows to send at that pace.
 */
function trickle(head: string, rest: string, stepMs: number): Promise<Trickled> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let sent = 0;
    let closedByServer = false;
    let timer: NodeJS.Timeout | undefined;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', () => undefined);
    const finish = () => {
      clearInterval(timer);
      resolve({ sent, answer, closedByServer });
    };
    socket.once('end', () => (closedByServer = true));
    socket.once('close', finish);
    socket.once('connect', () => {
      socket.write(head);
      timer = setInterval(() => {
        if (sent >= rest.length) {
          clearInterval(timer);
          socket.destroy();
          return;
        }
        socket.write(rest[sent]!);
        sent++;
      }, stepMs);
    });
  });
}

describe('HTTP timeouts', () => {
  it('cuts a body trickled slower than http.bodyTimeoutMs with 408, before it is complete', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', pad: 'x'.repeat(300) });
    const head = `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${body.length}\r\n\r\n`;
    const result = await trickle(head, body, 25);
    expect(result.closedByServer).toBe(true);
    expect(result.answer).toMatch(/^HTTP\/1\.1 408/);
    expect(result.sent).toBeLessThan(body.length);
  }, 20_000);

  it('cuts headers trickled slower than http.headersTimeoutMs with 408', async () => {
    const headers = `GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n${'X-Slow: y\r\n'.repeat(40)}\r\n`;
    const result = await trickle('', headers, 25);
    expect(result.closedByServer).toBe(true);
    expect(result.answer).toMatch(/^HTTP\/1\.1 408/);
    expect(result.sent).toBeLessThan(headers.length);
  }, 20_000);

  it('closes an idle keep-alive connection after http.keepAliveTimeoutMs', async () => {
    const result = await new Promise<{ answer: string; closedByServer: boolean }>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let answer = '';
      let closedByServer = false;
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.once('end', () => (closedByServer = true));
      socket.once('close', () => resolve({ answer, closedByServer }));
      // Far past the bound (and short of Node's own 5 s), the test gives up and closes the socket itself.
      const giveUp = setTimeout(() => socket.destroy(), 3000);
      socket.once('close', () => clearTimeout(giveUp));
      socket.once('connect', () => socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
    });
    expect(result.answer).toMatch(/^HTTP\/1\.1 200/);
    expect(result.closedByServer).toBe(true);
  }, 20_000);
});
