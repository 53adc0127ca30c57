import { describe, expect, it, vi } from 'vitest';
import { parseConfig, type StdioServerConfig } from '../../src/config/index.js';
import { provideSandboxHostProbe } from '../../src/config/sandbox-host.js';

// This file loads config/ alone, never the sandbox runtime: the probe is what the test provides.
const profileOf = (sandbox: Record<string, unknown>) => (parseConfig({ servers: { s: { command: 'x', sandbox } } }).servers.s as StdioServerConfig).sandbox;

describe('the host facts behind the default sandbox backend', () => {
  it('resolves an unset backend to bubblewrap while no probe is provided (the spawning side refuses it where bwrap fails)', () => {
    expect(profileOf({})).toMatchObject({ backend: 'bubblewrap' });
    expect(profileOf({})).not.toHaveProperty('backendReason');
  });

  it('asks the provided probe, and only for a profile that names no backend', () => {
    const probe = vi.fn(() => ({ bwrap: { usable: false, error: 'bwrap was not found on PATH' } }));
    provideSandboxHostProbe(probe);
    expect(profileOf({ backend: 'bubblewrap' }).backend).toBe('bubblewrap');
    expect(probe).not.toHaveBeenCalled();
    expect(profileOf({})).toMatchObject({ backend: 'none', backendReason: 'no backend was configured and bubblewrap is unusable (bwrap was not found on PATH)' });
    expect(probe).toHaveBeenCalledTimes(1);
  });
});
