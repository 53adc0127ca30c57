import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outletPackageRoot } from '../../src/config/builtins/outlet-package.js';
import type { Client } from '@modelcontextprotocol/client';
import { parseConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/observability/logger.js';
import { startOutlet } from '../../src/outlet/runtime.js';
import { connectHttpClient } from '../helpers/outlet.js';
import { freePort } from '../helpers/servers.js';
import { tinyTools } from '../helpers/tool-fixtures.js';

type CallResult = { content: { type: string; text: string }[]; isError?: boolean; structuredContent?: Record<string, unknown> };

// The system built-in through a listening gateway: it reports the machine and reads the gateway's
// own /ready through its cage's egress proxy, the one destination its options allow.
let runtime: Awaited<ReturnType<typeof startOutlet>>;
let client: Client;

beforeAll(async () => {
  const port = await freePort();
  const config = parseConfig({ listen: { host: '127.0.0.1', port }, servers: { sys: { builtin: 'system' }, tiny: tinyTools('alpha') } });
  runtime = await startOutlet({ config, logger: silentLogger() });
  client = await connectHttpClient(`${runtime.url}/mcp`, '2025-11-25');
});

afterAll(async () => {
  await client?.close();
  await runtime?.close();
});

describe('the system built-in', () => {
  it('describes the machine', async () => {
    const info = (await client.callTool({ name: 'sys__get_system_info', arguments: {} })) as CallResult;
    expect(info.structuredContent).toMatchObject({ platform: 'linux', cpuCount: expect.any(Number), memoryBytes: expect.any(Number), node: process.version });
  });

  it('reports load, memory, disks and the gateway\'s own upstreams, read through its cage', async () => {
    const status = (await client.callTool({ name: 'sys__get_system_status', arguments: {} })) as CallResult;
    const content = status.structuredContent as { load: number[]; disks: { path: string; freeBytes?: number }[]; gateway: { ready?: boolean; upstreams?: { name: string; state: string }[]; error?: string } };
    expect(content.load).toHaveLength(3);
    expect(content.disks[0]).toMatchObject({ path: '/', freeBytes: expect.any(Number) });
    expect(content.gateway.error).toBeUndefined();
    expect(content.gateway.upstreams?.map((u) => u.name).sort()).toEqual(['sys', 'tiny']);
    expect(content.gateway.upstreams?.find((u) => u.name === 'tiny')?.state).toBe('connected');
  });

  it('is caged to the gateway alone: its egress allows exactly the gateway\'s address', () => {
    const config = parseConfig({ listen: { port: 4123 }, servers: { sys: { builtin: 'system' } } });
    const server = config.servers.sys!;
    if (server.transport !== 'stdio') throw new Error('expected stdio');
    expect(server.sandbox.network).toEqual({ allow: ['127.0.0.1:4123'] });
    // Its own code, read-only, and nothing else of the host.
    expect(server.sandbox.mounts).toEqual([{ path: outletPackageRoot(), mode: 'ro' }]);
  });
});
