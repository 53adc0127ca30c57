import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Gives the whole run one temporary directory, removed at the end: tests make their scratch
 * directories with `mkdtemp(tmpdir())` and leave them, and the spawned servers, gateways and
 * sandboxes under test inherit TMPDIR too. Set here, before the workers start, so each inherits it.
 * World-writable and sticky like /tmp itself: sandboxed servers run under an unprivileged uid and
 * must reach the directories made for them inside it.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'outlet-suite-'));
  chmodSync(root, 0o1777);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
