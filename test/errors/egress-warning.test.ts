import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { buildBubblewrapSpawn, detectSandboxSupport, resolveSandboxProfile, type SandboxProfileInput } from '../../src/sandbox/index.js';

// The start-up warning about paths the sandbox uid cannot use must be true when it is given: a
// false one on every allowlisted server hides the real ones (a 0700 parent of the code, say).
const support = detectSandboxSupport();
const SERVER = fileURLToPath(new URL('../fixtures/tiny-server.mjs', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));

function warningOf(profile: SandboxProfileInput): string | undefined {
  const built = buildBubblewrapSpawn({ command: process.execPath, args: [SERVER], env: {}, cwd: REPO }, resolveSandboxProfile(profile, { support }), support);
  built.cleanup();
  return built.warning;
}

describe('the sandbox access warning with an egress allowlist', () => {
  const savedTmp = process.env.TMPDIR;
  afterEach(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
  });

  it('runs as root with bubblewrap here (the warning is only given to a root gateway; this fails, not skips)', () => {
    expect(process.getuid?.()).toBe(0);
    expect(support.bwrap.usable).toBe(true);
  });

  it('is not given when the forwarder and the socket directory are usable', () => {
    expect(warningOf({ backend: 'bubblewrap', network: { allow: ['127.0.0.1:9'] } })).toBeUndefined();
    expect(warningOf({ backend: 'bubblewrap', network: 'none' })).toBeUndefined();
  });

  it('is given, naming the directory, when the socket directory sits under one the sandbox uid cannot enter', () => {
    const closed = mkdtempSync(join(tmpdir(), 'oc-'));
    chmodSync(closed, 0o700);
    process.env.TMPDIR = closed;
    try {
      const warning = warningOf({ backend: 'bubblewrap', network: { allow: ['127.0.0.1:9'] } });
      // The message names the directory that blocks (the 0700 parent) and how to let the uid through.
      expect(warning).toMatch(new RegExp(`uid 65534 cannot reach ${closed}/outlet-egress-\\w+: ${closed} \\(owner 0:0, mode 700\\) blocks it`));
      expect(warning).toContain(`setfacl -m u:65534:x ${closed}`);
      // Only the directory that is really out of reach: the forwarder script itself is readable.
      expect(warning).not.toMatch(/egress-forwarder/);
      // No allowlist, no egress directory, no warning.
      expect(warningOf({ backend: 'bubblewrap', network: 'none' })).toBeUndefined();
    } finally {
      rmSync(closed, { recursive: true, force: true });
    }
  });
});
