import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildUnsandboxedSpawn, resolveSandboxProfile } from '../../src/sandbox/index.js';
import { processesWith, uniqueMarker } from '../isolation/helpers.js';
import { eventually, hostile, startCaged, support } from './caged-server.js';

// The allowlist sandbox without the gateway: what the forwarder in front of the server must not
// change (exit status, the whole tree going down), and the proxy's socket following the process.
const CLIENT = fileURLToPath(new URL('./fixtures/egress-client.mjs', import.meta.url));
const PRELOAD = fileURLToPath(new URL('./fixtures/preload-marker.cjs', import.meta.url));
const allow = { backend: 'bubblewrap' as const, network: { allow: ['127.0.0.1:9'] } };

function socketOf(enforced: string[]): string {
  const path = /through the egress proxy \(([^;]+);/.exec(enforced.find((l) => l.startsWith('network: only')) ?? '')?.[1];
  if (!path) throw new Error(`no egress socket among: ${enforced.join(' | ')}`);
  return path;
}

describe('the egress forwarder inside bubblewrap', () => {
  it('runs here (this fails, not skips, where bwrap cannot run)', () => {
    expect(support.bwrap).toMatchObject({ usable: true });
  });

  it('has a socket only the sandbox uid may use while the process runs, and none after it exits', async () => {
    const caged = await startCaged(CLIENT, allow);
    const socket = socketOf(caged.sandbox.enforced);
    try {
      const stat = statSync(socket);
      expect(stat.isSocket()).toBe(true);
      expect(stat.mode & 0o777).toBe(0o600);
      if (support.root) expect([stat.uid, stat.gid]).toEqual([65534, 65534]);
    } finally {
      await caged.close();
    }
    expect(existsSync(socket)).toBe(false);
    expect(existsSync(dirname(socket))).toBe(false);
  });

  it('hands the entry\'s NODE_OPTIONS to the server, not to itself', async () => {
    const caged = await startCaged(CLIENT, allow, { env: { PATH: '/usr/bin:/bin', NODE_OPTIONS: `--require=${PRELOAD}` } });
    try {
      expect((await caged.call('proxy_env')).env).toMatchObject({ NODE_OPTIONS: `--require=${PRELOAD}` });
      // Preloaded once, into the server: the forwarder in front of it did not load it.
      expect(caged.stderr.filter((l) => l.startsWith('preloaded into'))).toEqual([`preloaded into ${CLIENT}`]);
    } finally {
      await caged.close();
    }
  });

  it('says plainly when an allowlist is not enforced because the server runs unconfined', () => {
    const profile = resolveSandboxProfile({ backend: 'none', network: { allow: ['api.example.com'] } }, { support });
    const result = buildUnsandboxedSpawn({ command: 'node', args: [], env: {}, cwd: '/' }, profile, 'sandbox.backend is "none"');
    expect(result.notEnforced).toContain('network: the host network (requested: only api.example.com through the egress proxy)');
  });

  for (const signal of [undefined, 'SIGKILL'] as const) {
    it(`ends as it would without the forwarder when the server ${signal ? `dies of ${signal}` : 'exits with 1'}, and takes its orphans along`, async () => {
      const outcomes = [];
      for (const network of ['none', allow.network] as const) {
        const marker = uniqueMarker('egress-crash');
        const caged = await startCaged(hostile('misbehave.mjs'), { backend: 'bubblewrap', network }, { args: [hostile('misbehave.mjs'), `--marker=${marker}`] });
        await caged.call('crash', { afterMs: 50, ...(signal ? { signal } : {}) }).catch(() => undefined);
        outcomes.push(await caged.exited);
        expect(await eventually(() => processesWith(marker).length === 0), `${marker} under ${JSON.stringify(network)}`).toBe(true);
        await caged.close();
      }
      expect(outcomes[1]).toEqual(outcomes[0]);
    });
  }
});
