import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handToSandbox } from '../../src/config/workspace-owner.js';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import { accessWarnings } from '../../src/sandbox/host-access.js';
import { connectHttpClient, startTestOutlet, waitReady } from '../helpers/outlet.js';

/**
 * A root gateway whose checkout sits below a directory only root may search (/root is 0700; so is
 * every `mktemp -d`): the sandboxed servers run as uid 65534, which cannot pass through it. Here the
 * checkout is a hard-linked copy of this repository's node_modules inside a fresh mkdtemp (0700).
 */
const repo = fileURLToPath(new URL('../../', import.meta.url));
const nobody = { uid: 65534, gid: 65534 };
let home: string;
let app: string;
let outlet: OutletRuntime | undefined;
let client: Client | undefined;

const entry = (pkg: string): string => join(app, 'node_modules', '@modelcontextprotocol', pkg, 'dist', 'index.js');

beforeAll(() => {
  expect(process.getuid?.() === 0, 'needs root, as CI runs').toBe(true);
  home = mkdtempSync(join(tmpdir(), 'outlet-root-home-'));
  expect(statSync(home).mode & 0o777).toBe(0o700);
  app = join(home, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), '{"name":"app","private":true}\n');
  execFileSync('cp', ['-al', join(repo, 'node_modules'), join(app, 'node_modules')]);
}, 120_000);

afterEach(async () => {
  await client?.close();
  await outlet?.close();
  client = undefined;
  outlet = undefined;
});

afterAll(() => rmSync(home, { recursive: true, force: true }));

async function start(servers: Record<string, unknown>): Promise<{ url: string; ready: { upstreams: Array<{ name: string; sandbox?: { enforced: string[]; writable?: string[]; warning?: string } }> } }> {
  outlet = await startTestOutlet({ servers }, { baseDir: app });
  await waitReady(outlet.url, 30_000);
  client = await connectHttpClient(`${outlet.url}/mcp`, '2026-07-28');
  return { url: outlet.url, ready: (await (await fetch(`${outlet.url}/ready`)).json()) as never };
}

describe('as root, a checkout below a 0700 directory', () => {
  it('starts the default servers (filesystem and memory on the workspace) and lists their tools', async () => {
    // The default config's shape (src/config/default-config.ts), its scripts taken from the checkout.
    const workspace = join(app, 'workspace');
    mkdirSync(workspace);
    handToSandbox(workspace, nobody);
    const { ready } = await start({
      filesystem: { command: process.execPath, args: [entry('server-filesystem'), workspace], cwd: app },
      memory: { command: process.execPath, args: [entry('server-memory')], cwd: app, env: { MEMORY_FILE_PATH: join(workspace, 'memory.jsonl') }, sandbox: { mounts: [{ path: workspace, mode: 'rw' }] } },
    });
    const names = (await client!.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining([expect.stringMatching(/read_text_file|read_file/), expect.stringMatching(/create_entities/)]));
    for (const up of ready.upstreams) {
      expect(up.sandbox?.enforced.join('\n')).toContain(`reach: `);
      expect(up.sandbox?.warning ?? '').not.toMatch(/cannot/);
      expect(up.sandbox?.writable).toContain(workspace);
    }
    // The host is unchanged: the home stays 0700 and nothing is left mounted.
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(home);
  }, 60_000);

  it('lets memory write the file its env names, in a directory the outlet creates for the sandbox uid', async () => {
    const data = join(app, 'data');
    const file = join(data, 'memory.jsonl');
    const { ready } = await start({ memory: { command: process.execPath, args: [entry('server-memory')], cwd: app, env: { MEMORY_FILE_PATH: file } } });
    expect(ready.upstreams[0]?.sandbox?.writable).toContain(data);
    const tool = (await client!.listTools()).tools.map((t) => t.name).find((n) => n.endsWith('create_entities'));
    const result = await client!.callTool({ name: tool ?? 'create_entities', arguments: { entities: [{ name: 'outlet', entityType: 'project', observations: ['runs as root'] }] } });
    expect(result.isError ?? false).toBe(false);
    expect(readFileSync(file, 'utf8')).toContain('"name":"outlet"');
    // Made for the sandbox ids; no directory that existed before changed owner.
    expect(statSync(data).uid).toBe(nobody.uid);
    expect(statSync(app).uid).toBe(0);
  }, 60_000);

  it('names the directory that blocks, and the fix, when it cannot bind a path itself', () => {
    const warnings = accessWarnings(nobody, [app], [join(app, 'workspace')]);
    expect(warnings).toHaveLength(2);
    for (const w of warnings) {
      expect(w).toContain(`${home} (owner 0:0, mode 700) blocks it`);
      expect(w).toContain(`setfacl -m u:65534:x ${home}`);
      expect(w).not.toContain('chown');
    }
  });
});
