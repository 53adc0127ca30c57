import { parseObservabilityConfig } from '../../src/config/observability-schema.js';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { resolveSandboxProfile } from '../../src/sandbox/index.js';

const base = resolve('/srv/outlet');
const common = {
  enabled: true,
  tools: { include: [], exclude: [] },
  timeoutMs: 60_000,
  protocol: 'auto',
  calls: { maxConcurrent: 64, maxQueued: 256, breaker: { failureThreshold: 5, cooldownMs: 10_000 }, tools: {} },
  health: { enabled: true, intervalMs: 30_000, timeoutMs: 10_000, failures: 3 },
};
// The default backend depends on the host (bubblewrap where it works, else none): resolved the same way.
const sandbox = resolveSandboxProfile({});

describe('parseConfig: normalization', () => {
  it('normalizes the full example from the issue', () => {
    const config = parseConfig(
      {
        listen: { host: '127.0.0.1', port: 3000 },
        servers: {
          fs: { command: 'node', args: ['server.js', './data'], env: { K: 'V' }, cwd: '.' },
          remote: { url: 'http://127.0.0.1:9000/mcp', headers: { Authorization: 'Bearer ${TOKEN}' } },
          old: { url: 'http://127.0.0.1:9001/sse', transport: 'sse' },
        },
      },
      { env: { TOKEN: 's3cret' }, baseDir: base },
    );
    expect(config).toEqual({
      listen: { host: '127.0.0.1', port: 3000 },
      namespace: { separator: '__' },
      startup: { listWaitMs: 10_000 },
      upstream: { requestTimeoutMs: 60_000, connectTimeoutMs: 30_000, drainTimeoutMs: 30_000 },
      http: { maxBodyBytes: 4_194_304, maxJsonDepth: 256, headersTimeoutMs: 10_000, bodyTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, resumable: true, sessions: { max: 5000, idleTimeoutMs: 1_800_000 } },
      reload: { watch: true },
      sandbox: {},
      observability: parseObservabilityConfig({}),
      rpc: { enabled: false, allowCommands: [], allowPackages: [], allowUrls: [], idleTimeoutMs: 300_000, maxInstances: 8, maxProcesses: 8, sandbox: {} },
      packages: { installTimeoutMs: 300_000, allowScripts: false, refreshAfterMs: 86_400_000 },
      codeMode: {
        mode: 'mcp',
        pinned: [],
        compactSchemas: false,
        overBudget: 'cut',
        limits: { wallMs: 10_000, memoryBytes: 67_108_864, stackBytes: 524_288, maxToolCalls: 200, maxOutputBytes: 65_536, maxConsoleBytes: 16_384, maxTimerMs: 5_000 },
        maxQueued: 64,
        state: { maxBytesPerSession: 1_048_576, ttlMs: 3_600_000 },
      },
      servers: {
        fs: { ...common, name: 'fs', prefix: 'fs', transport: 'stdio', command: 'node', args: ['server.js', './data'], env: { K: 'V' }, cwd: base, sandbox },
        remote: { ...common, name: 'remote', prefix: 'remote', transport: 'streamable-http', url: 'http://127.0.0.1:9000/mcp', headers: { Authorization: 'Bearer s3cret' } },
        old: { ...common, name: 'old', prefix: 'old', transport: 'sse', url: 'http://127.0.0.1:9001/sse', headers: {} },
      },
    });
    expect(Object.keys(config.servers)).toEqual(['fs', 'remote', 'old']);
    expect(config.source).toBeUndefined();
  });

  it('fills server defaults from the gateway and keeps explicit overrides', () => {
    const config = parseConfig({
      upstream: { requestTimeoutMs: 5000 },
      servers: {
        a: { command: 'x' },
        b: { command: 'y', prefix: 'bee', timeoutMs: 10, protocol: 'legacy', enabled: false, tools: { include: ['read_*'] } },
      },
    });
    expect(config.servers.a).toMatchObject({ timeoutMs: 5000, prefix: 'a', enabled: true, protocol: 'auto', args: [], env: {} });
    expect(config.servers.b).toMatchObject({ timeoutMs: 10, prefix: 'bee', enabled: false, protocol: 'legacy', tools: { include: ['read_*'], exclude: [] } });
  });

  it('accepts mcpServers as a synonym and keeps the order of both maps as written', () => {
    const config = parseConfig({ mcpServers: { m: { command: 'x' } }, servers: { s: { command: 'y' } } });
    expect(Object.keys(config.servers)).toEqual(['m', 's']);
    expect(config.servers.m).toMatchObject({ name: 'm', transport: 'stdio', command: 'x' });
  });

  it('accepts VS Code "type" as a synonym of transport', () => {
    const config = parseConfig({ servers: { h: { type: 'http', url: 'https://example.com/sse' }, s: { type: 'sse', url: 'https://example.com/x' }, c: { type: 'stdio', command: 'x' } } });
    expect(config.servers.h?.transport).toBe('streamable-http');
    expect(config.servers.s?.transport).toBe('sse');
    expect(config.servers.c?.transport).toBe('stdio');
  });

  it('infers sse from a URL path ending in /sse, unless transport says otherwise', () => {
    const config = parseConfig({
      servers: {
        a: { url: 'http://h/sse' },
        b: { url: 'http://h/api/sse/' },
        c: { url: 'http://h/sse', transport: 'streamable-http' },
        d: { url: 'http://h/mcp?x=/sse' },
      },
    });
    expect([config.servers.a, config.servers.b, config.servers.c, config.servers.d].map((s) => s?.transport)).toEqual(['sse', 'sse', 'streamable-http', 'streamable-http']);
  });

  it('resolves cwd against baseDir, and against the source file directory', () => {
    const fromBase = parseConfig({ servers: { a: { command: 'x', cwd: 'data' }, b: { command: 'y' } } }, { baseDir: base });
    expect(fromBase.servers.a).toMatchObject({ cwd: resolve(base, 'data') });
    expect(fromBase.servers.b).toMatchObject({ cwd: base });
    const fromSource = parseConfig({ servers: { a: { command: 'x', cwd: '../up' } } }, { source: resolve(base, 'conf/outlet.json') });
    expect(fromSource.servers.a).toMatchObject({ cwd: resolve(base, 'up') });
    expect(fromSource.source).toBe(resolve(base, 'conf/outlet.json'));
  });

  it('allows a duplicate prefix when one of the two servers is disabled', () => {
    const config = parseConfig({ servers: { a: { command: 'x' }, b: { command: 'y', prefix: 'a', enabled: false } } });
    expect(config.servers.b?.prefix).toBe('a');
  });
});
