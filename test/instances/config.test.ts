import { describe, expect, it } from 'vitest';
import { configJsonSchema, parseConfig, type StdioServerConfig } from '../../src/config/index.js';
import { isOutletError } from '../../src/errors/index.js';

const instancesOf = (raw: Record<string, unknown>) => (parseConfig({ servers: { s: { command: 'x', ...raw } } }).servers.s as StdioServerConfig).instances;

function failure(raw: unknown): string {
  try {
    parseConfig(raw, { env: {} });
  } catch (err) {
    if (isOutletError(err)) return err.message;
    throw err;
  }
  throw new Error('expected a config error');
}

describe('instances in the config', () => {
  it('fills each mode\'s defaults, and leaves an entry without the block as it was (shared)', () => {
    expect(instancesOf({})).toBeUndefined();
    expect(instancesOf({ instances: {} })).toEqual({ mode: 'shared' });
    expect(instancesOf({ instances: { mode: 'pool' } })).toEqual({ mode: 'pool', size: 2 });
    expect(instancesOf({ instances: { mode: 'per-request' } })).toEqual({ mode: 'per-request', spares: 2, acquireTimeoutMs: 30_000, warmup: [] });
    expect(instancesOf({ instances: { mode: 'per-session', max: 4 } })).toEqual({ mode: 'per-session', spares: 1, max: 4, idleTimeoutMs: 300_000, acquireTimeoutMs: 30_000, warmup: [] });
  });

  it('reads the gateway-wide process cap, present only when written', () => {
    expect(parseConfig({ limits: { maxProcesses: 8 } }).limits).toEqual({ maxProcesses: 8 });
    expect(parseConfig({ limits: {} }).limits).toEqual({ maxProcesses: 64 });
    expect(parseConfig({}).limits).toBeUndefined();
  });

  it('refuses instances on an HTTP entry, naming the path', () => {
    expect(failure({ servers: { web: { url: 'http://127.0.0.1:9/mcp', instances: { mode: 'pool' } } } })).toBe('servers.web.instances: only applies to stdio servers (command)');
  });

  it('names a key that the chosen mode would ignore, and bad values, by path', () => {
    expect(failure({ servers: { s: { command: 'x', instances: { mode: 'per-session', size: 3 } } } })).toBe('servers.s.instances.size: does not apply to mode "per-session" (only to "pool")');
    expect(failure({ mcpServers: { s: { command: 'x', instances: { spares: 1 } } } })).toBe('mcpServers.s.instances.spares: does not apply to mode "shared" (only to "per-request" and "per-session")');
    expect(failure({ servers: { s: { command: 'x', instances: { mode: 'each' } } } })).toMatch(/^servers\.s\.instances\.mode: /);
    expect(failure({ servers: { s: { command: 'x', instances: { mode: 'pool', size: 0 } } } })).toMatch(/^servers\.s\.instances\.size: /);
    expect(failure({ limits: { maxProcesses: -1 } })).toMatch(/^limits\.maxProcesses: /);
  });

  it('documents every key in the JSON Schema', () => {
    const schema = configJsonSchema() as { properties: Record<string, { description?: string; properties?: Record<string, unknown>; additionalProperties?: { properties: Record<string, { description?: string; properties?: Record<string, { description?: string }> }> } }> };
    const entry = schema.properties.servers!.additionalProperties!.properties;
    expect(entry.instances?.description).toMatch(/stdio servers/);
    expect(Object.keys(entry.instances?.properties ?? {})).toEqual(['mode', 'size', 'spares', 'max', 'idleTimeoutMs', 'acquireTimeoutMs', 'warmup']);
    expect(schema.properties.limits?.properties).toHaveProperty('maxProcesses');
  });
});
