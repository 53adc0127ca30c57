import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import type { UpstreamStatus } from '../../src/supervisor/upstream-status.js';
import { eventually, startTestOutlet } from '../helpers/outlet.js';
import { startFakeRegistry, type FakeRegistry } from './fake-registry.js';

/**
 * Configured `npx -y` servers whose packages are still being fetched: `/ready` says `installing`,
 * the fetch is not bound by the connect timeout, and a package the registry does not have is
 * named in the server's lastError.
 */
let outlet: OutletRuntime;
let registry: FakeRegistry;
let release!: () => void;
const root = mkdtempSync(join(tmpdir(), 'outlet-installing-'));
chmodSync(root, 0o755);
const CONNECT_TIMEOUT_MS = 1_500;

beforeAll(async () => {
  registry = await startFakeRegistry(undefined, { gate: new Promise((resolve) => (release = resolve)) });
  outlet = await startTestOutlet({
    packages: { cacheDir: join(root, 'cache'), registry: registry.url },
    upstream: { connectTimeoutMs: CONNECT_TIMEOUT_MS },
    mcpServers: {
      slow: { command: 'npx', args: ['-y', 'tamper-server'] },
      ghost: { command: 'npx', args: ['-y', 'no-such-package-outlet-test'] },
    },
    observability: { metrics: { process: false } },
  });
});

afterAll(async () => {
  release?.();
  await outlet?.close();
  await registry?.close();
  rmSync(root, { recursive: true, force: true });
});

async function upstreams(): Promise<Record<string, UpstreamStatus>> {
  const body = (await (await fetch(`${outlet.url}/ready`)).json()) as { upstreams: UpstreamStatus[] };
  return Object.fromEntries(body.upstreams.map((u) => [u.name, u]));
}

describe('a server whose package is being fetched', () => {
  it('is shown as installing, past the connect timeout, and then connects', async () => {
    await eventually(async () => (await upstreams()).slow?.state === 'installing');
    // Held longer than the connect timeout: the fetch has its own (packages.installTimeoutMs).
    await new Promise((resolve) => setTimeout(resolve, CONNECT_TIMEOUT_MS + 500));
    const held = await upstreams();
    expect(held.slow).toMatchObject({ state: 'installing', restarts: 0 });
    expect(held.slow?.lastError).toBeUndefined();
    release();
    const up = await eventually(async () => ((await upstreams()).slow?.state === 'connected' ? (await upstreams()).slow : undefined), 30_000);
    expect(up!.tools).toBe(3); // the fixture's marker, tamper and peek
    expect(up!.packages).toEqual(['tamper-server@1.0.0']);
  });

  it('says in lastError that a package does not exist', async () => {
    const ghost = await eventually(async () => ((await upstreams()).ghost?.lastError ? (await upstreams()).ghost : undefined), 30_000);
    // Backoff, or already retrying (the lastError stays until a start succeeds).
    expect(['backoff', 'installing']).toContain(ghost!.state);
    expect(ghost!.lastError).toBe(`server "ghost": package "no-such-package-outlet-test@latest" was not found in the registry ${registry.url}`);
  });
});
