import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, parseConfig, type StdioServerConfig } from '../../src/config/index.js';
import { detectSandboxSupport } from '../../src/sandbox/index.js';
import { configFailure } from './helpers.js';

const base = resolve('/srv/outlet');
const stdio = (config: ReturnType<typeof parseConfig>, name: string): StdioServerConfig => config.servers[name] as StdioServerConfig;

describe('sandbox in the config', () => {
  it('defaults every stdio entry to the host rule: bubblewrap when it works, else none (with the reason)', () => {
    const profile = stdio(parseConfig({ servers: { a: { command: 'x' } } }), 'a').sandbox;
    const usable = detectSandboxSupport().bwrap.usable;
    expect(profile).toMatchObject({ backend: usable ? 'bubblewrap' : 'none', network: 'none', uid: 65534, gid: 65534, mounts: [], env: [], limits: {}, allowFallback: false });
    if (!usable) expect(profile.backendReason).toMatch(/bubblewrap is unusable/);
  });

  it('merges an entry over the gateway default, limits key by key, and keeps the default as written', () => {
    const config = parseConfig({
      sandbox: { network: 'host', limits: { memoryMb: 256, pids: 64 } },
      servers: { a: { command: 'x', sandbox: { limits: { pids: 32 } } }, b: { command: 'y', sandbox: { network: 'none' } } },
    });
    expect(config.sandbox).toEqual({ network: 'host', limits: { memoryMb: 256, pids: 64 } });
    expect(stdio(config, 'a').sandbox).toMatchObject({ network: 'host', limits: { memoryMb: 256, pids: 32 } });
    expect(stdio(config, 'b').sandbox).toMatchObject({ network: 'none', limits: { memoryMb: 256, pids: 64 } });
  });

  it('resolves relative mount and scratch paths against the config directory, at both levels', () => {
    const config = parseConfig(
      {
        sandbox: { mounts: [{ path: 'shared' }] },
        servers: { a: { command: 'x', sandbox: { mounts: [{ path: './data', mode: 'rw' }, { path: '/abs' }], scratch: 'state/a' } }, b: { command: 'y' } },
      },
      { source: resolve(base, 'outlet.json') },
    );
    expect(config.sandbox.mounts).toEqual([{ path: resolve(base, 'shared'), mode: 'ro' }]);
    expect(stdio(config, 'a').sandbox).toMatchObject({
      mounts: [{ path: resolve(base, 'data'), mode: 'rw' }, { path: '/abs', mode: 'ro' }],
      scratch: resolve(base, 'state/a'),
    });
    expect(stdio(config, 'b').sandbox.mounts).toEqual([{ path: resolve(base, 'shared'), mode: 'ro' }]);
  });

  it('reports mistakes at the path the user wrote', () => {
    const fail = (raw: unknown): string => configFailure(() => parseConfig(raw, { env: {} })).message;
    expect(fail({ servers: { fs: { command: 'x', sandbox: { network: 'lan' } } } })).toMatch(/^servers\.fs\.sandbox\.network: /);
    expect(fail({ servers: { fs: { command: 'x', sandbox: { network: { allow: ['api.github.com', 'https://api.github.com'] } } } } })).toBe(
      'servers.fs.sandbox.network.allow[1]: no scheme or path: write a host name, *.domain or an IP address, optionally with :port (as in "api.example.com:443")',
    );
    expect(fail({ sandbox: { network: { allow: ['*'] } }, servers: { fs: { command: 'x' } } })).toMatch(/^sandbox\.network\.allow\[0\]: a lone "\*"/);
    expect(fail({ servers: { fs: { command: 'x', sandbox: { uid: 0 } } } })).toMatch(/^servers\.fs\.sandbox\.uid: /);
    expect(fail({ servers: { fs: { command: 'x', sandbox: { limits: { memoryMb: -1 } } } } })).toMatch(/^servers\.fs\.sandbox\.limits\.memoryMb: /);
    expect(fail({ servers: { fs: { command: 'x', sandbox: { backend: 'docker' } } } })).toMatch(/^servers\.fs\.sandbox\.backend: expected one of "bubblewrap", "none"/);
  });

  it('refuses sandbox on an HTTP entry, where it does not apply', () => {
    expect(configFailure(() => parseConfig({ servers: { web: { url: 'http://127.0.0.1:9/mcp', sandbox: {} } } })).message).toBe(
      'servers.web.sandbox: only applies to stdio servers (command)',
    );
  });

  it('is described in the JSON Schema, per entry and gateway-wide', () => {
    const schema = configJsonSchema() as { properties: Record<string, { description?: string; additionalProperties?: { properties?: Record<string, unknown> } }> };
    expect(schema.properties.sandbox?.description).toMatch(/Default sandbox of every stdio server/);
    expect(Object.keys(schema.properties.servers?.additionalProperties?.properties ?? {})).toContain('sandbox');
  });
});
