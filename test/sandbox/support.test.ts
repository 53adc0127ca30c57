import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectSandboxSupport } from '../../src/sandbox/index.js';

describe('detectSandboxSupport', () => {
  it('measures once and caches; refresh measures again', () => {
    const first = detectSandboxSupport();
    expect(detectSandboxSupport()).toBe(first);
    const again = detectSandboxSupport({ refresh: true });
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });

  it('describes the host consistently', () => {
    const s = detectSandboxSupport();
    expect(s.root).toBe(process.getuid?.() === 0);
    if (s.bwrap.usable) expect(s.bwrap.path).toMatch(/bwrap$/);
    else expect(s.bwrap.error).toBeTruthy();
    for (const controller of [s.cgroup.v1.memory, s.cgroup.v1.pids]) {
      if (controller?.usable) expect(controller.parent).toMatch(/\/mcp-outlet$/);
    }
    // On the development machine (root, Debian 12, cgroup v1 memory and pids) all of it is there.
    console.log('sandbox support here:', JSON.stringify(s));
  });

  it('sweeps groups left by a gateway that died without cleaning up', () => {
    const pids = detectSandboxSupport().cgroup.v1.pids;
    if (!pids?.usable) {
      expect(pids?.usable ?? false).toBe(false); // nothing to sweep on this host
      return;
    }
    // A pid above pid_max can never be alive, so this group's creator is certainly gone.
    const deadPid = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8')) + 1;
    const stale = join(pids.parent, `${deadPid}-1-abcdef`);
    mkdirSync(stale);
    detectSandboxSupport({ refresh: true });
    expect(existsSync(stale)).toBe(false);
  });
});
