import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import { describeFetchCause, explainFetchError } from '../../src/upstream/network-error.js';
import { runOutlet } from '../helpers/cli.js';
import { connectHttpClient, eventually, startTestOutlet, waitReady } from '../helpers/outlet.js';
import { freePort, startEverythingHttp } from '../helpers/servers.js';

// A remote upstream that cannot be reached says where it tried and what the network answered
// (the errno), not only "fetch failed"; the address is printed without userinfo or query.
interface Ready {
  upstreams: { name: string; state: string; lastError?: string }[];
}

let outlet: OutletRuntime;
let closedPort: number;

beforeAll(async () => {
  closedPort = await freePort();
  outlet = await startTestOutlet({
    servers: {
      gone: { transport: 'streamable-http', url: `http://127.0.0.1:${closedPort}/mcp?api_key=s3cret` },
      legacy: { transport: 'sse', url: `http://127.0.0.1:${closedPort}/sse` },
    },
  });
});

afterAll(async () => {
  await outlet?.close();
});

async function lastErrorOf(name: string): Promise<string> {
  return eventually(async () => {
    const ready = (await (await fetch(`${outlet.url}/ready`)).json()) as Ready;
    return ready.upstreams.find((u) => u.name === name)?.lastError;
  }) as Promise<string>;
}

describe('an upstream at a closed loopback port', () => {
  it('is reported in /ready with ECONNREFUSED and its address (Streamable HTTP)', async () => {
    const lastError = await lastErrorOf('gone');
    expect(lastError).toContain(`connect ECONNREFUSED 127.0.0.1:${closedPort} (http://127.0.0.1:${closedPort}/mcp)`);
    expect(lastError).not.toMatch(/fetch failed/);
    expect(lastError).not.toContain('s3cret');
  });

  it('is reported the same way over legacy SSE, once', async () => {
    const lastError = await lastErrorOf('legacy');
    expect(lastError).toContain(`connect ECONNREFUSED 127.0.0.1:${closedPort} (http://127.0.0.1:${closedPort}/sse)`);
    expect(lastError.split('ECONNREFUSED').length).toBe(2);
  });

  it('is named by `outlet list --url` when the gateway itself is not there', async () => {
    const result = await runOutlet(['list', '--url', `http://127.0.0.1:${closedPort}/mcp`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`ECONNREFUSED 127.0.0.1:${closedPort}`);
    expect(result.stderr).toContain(`http://127.0.0.1:${closedPort}/mcp`);
  });
});

describe('a remote upstream that goes away after connecting', () => {
  it("answers the caller's next call with ECONNREFUSED and the address", async () => {
    const upstream = await startEverythingHttp('streamableHttp');
    const port = new URL(upstream.url).port;
    const gateway = await startTestOutlet({ servers: { remote: { transport: 'streamable-http', url: upstream.url } } });
    try {
      await waitReady(gateway.url);
      const client = await connectHttpClient(`${gateway.url}/mcp`, '2025-11-25');
      await upstream.stop();
      const failure = await client.callTool({ name: 'remote__echo', arguments: { message: 'anyone?' } }).then(
        (result) => JSON.stringify(result),
        (err: Error) => err.message,
      );
      expect(failure).toContain(`connect ECONNREFUSED 127.0.0.1:${port} (http://127.0.0.1:${port}/mcp)`);
      await client.close();
    } finally {
      // (stop() waits for an exit: only when it has not happened yet.)
      if (upstream.child.exitCode === null && upstream.child.signalCode === null) await upstream.stop();
      await gateway.close();
    }
  }, 60_000);
});

describe('an upstream over https that fails the TLS handshake', () => {
  const dir = mkdtempSync(join(tmpdir(), 'outlet-tls-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function lastErrorFor(url: string): Promise<string> {
    const gateway = await startTestOutlet({ servers: { tls: { transport: 'streamable-http', url } } });
    try {
      return await eventually(async () => ((await (await fetch(`${gateway.url}/ready`)).json()) as Ready).upstreams[0]?.lastError) as string;
    } finally {
      await gateway.close();
    }
  }

  it('names a self-signed certificate with its code and the address', async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', '/CN=127.0.0.1', '-days', '1'], { stdio: 'ignore' });
    const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => res.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await lastErrorFor(`https://127.0.0.1:${port}/mcp`)).toContain(`self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT) (https://127.0.0.1:${port}/mcp)`);
    } finally {
      server.close();
    }
  });

  it('names a plain HTTP server behind an https URL by the TLS reason, not a raw OpenSSL line', async () => {
    const server = createHttpServer((_req, res) => res.end('plain'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const lastError = await lastErrorFor(`https://127.0.0.1:${port}/mcp`);
      expect(lastError).toContain(`TLS handshake failed: wrong version number (ERR_SSL_WRONG_VERSION_NUMBER) (https://127.0.0.1:${port}/mcp)`);
      expect(lastError).not.toMatch(/ssl3_get_record|\.c:\d+/);
    } finally {
      server.close();
    }
  });
});

describe('the words of a fetch failure', () => {
  it('names an unresolvable host, a refused certificate, a connect timeout and each address tried', () => {
    const failed = (cause: unknown) => Object.assign(new TypeError('fetch failed'), { cause });
    const url = 'https://user:pw@api.example.com:8443/mcp?token=x';
    expect(String(explainFetchError(failed(Object.assign(new Error('getaddrinfo ENOTFOUND api.example.com'), { code: 'ENOTFOUND' })), url))).toBe(
      'NetworkError: getaddrinfo ENOTFOUND api.example.com (https://api.example.com:8443/mcp)',
    );
    expect(describeFetchCause(Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }))).toBe('self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)');
    expect(describeFetchCause(Object.assign(new Error('Connect Timeout Error (attempted address: api.example.com:8443, timeout: 10000ms)'), { code: 'UND_ERR_CONNECT_TIMEOUT' }))).toBe(
      'Connect Timeout Error (attempted address: api.example.com:8443, timeout: 10000ms) (UND_ERR_CONNECT_TIMEOUT)',
    );
    const both = Object.assign(new AggregateError([new Error('connect ECONNREFUSED ::1:8443'), new Error('connect ECONNREFUSED 127.0.0.1:8443')]), { code: 'ECONNREFUSED' });
    expect(describeFetchCause(both)).toBe('connect ECONNREFUSED ::1:8443; connect ECONNREFUSED 127.0.0.1:8443');
    // Not a network failure: passed through as it is.
    const abort = new DOMException('aborted', 'AbortError');
    expect(explainFetchError(abort, url)).toBe(abort);
  });
});
