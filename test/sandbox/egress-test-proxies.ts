import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { parseEgressRules } from '../../src/config/egress-rules.js';
import type { EgressLookup } from '../../src/sandbox/egress-decision.js';
import { startEgressProxy, type EgressProxy, type EgressProxyOptions } from '../../src/sandbox/egress-proxy.js';
import type { EgressRefusal } from '../../src/sandbox/types.js';

/** Egress proxies for one test file: each on a Unix socket in the file's temp dir, closed after its test. */
export interface EgressProxies {
  /** A proxy enforcing `allow` with the file's DNS (other options may be given). */
  start(allow: string[], options?: Partial<EgressProxyOptions>): EgressProxy;
  /** What the current test's proxies refused, in order. */
  readonly refusals: EgressRefusal[];
}

export function egressProxies(lookup: EgressLookup): EgressProxies {
  const dir = mkdtempSync(join(tmpdir(), 'outlet-egress-test-'));
  const open: EgressProxy[] = [];
  const refusals: EgressRefusal[] = [];
  afterEach(() => {
    for (const proxy of open.splice(0)) proxy.close();
    refusals.length = 0;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    refusals,
    start(allow, options = {}) {
      const socketPath = join(dir, `p-${Math.random().toString(36).slice(2)}.sock`);
      const proxy = startEgressProxy({ socketPath, rules: parseEgressRules(allow), lookup, onRefused: (r) => refusals.push(r), ...options });
      open.push(proxy);
      return proxy;
    },
  };
}

/** `CONNECT authority` through the proxy: the answer's status, the socket, and any bytes that came with the answer. */
export function connectThrough(proxy: EgressProxy, authority: string): Promise<{ status: number; socket: Socket; head: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: proxy.socketPath, method: 'CONNECT', path: authority });
    req.once('connect', (res, socket: Socket, head: Buffer) => resolve({ status: res.statusCode ?? 0, socket, head }));
    req.once('error', reject);
    req.end();
  });
}
