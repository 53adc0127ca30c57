import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { createSandboxWrapper, detectSandboxSupport, resolveSandboxProfile, type SandboxedSpawn, type SandboxProfileInput, type SandboxSupport } from '../../src/sandbox/index.js';
import type { SpawnSpec } from '../../src/sandbox/spawn-spec.js';
import { StdioClientProcessTransport } from '../../src/upstream/stdio-transport.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const support = detectSandboxSupport();

/** A hostile fixture by file name, under test/fixtures/hostile. */
export function hostile(name: string): string {
  return fileURLToPath(new URL(`../fixtures/hostile/${name}`, import.meta.url));
}

/** What a probe tool reports: `{ ok: true, ... }` or `{ ok: false, code, message }`. */
export type Outcome = { ok: boolean; code?: string | null; message?: string } & Record<string, unknown>;

export interface CagedServer {
  client: Client;
  transport: StdioClientProcessTransport;
  sandbox: SandboxedSpawn;
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Calls a probe tool and parses its JSON outcome. */
  call(tool: string, args?: Record<string, unknown>): Promise<Outcome>;
  /** Closes the client (the transport kills the process group) and waits for the exit. */
  close(): Promise<void>;
}

/**
 * Starts a server script (a hostile fixture by file name, or any path) under the sandbox the gateway would use: the profile goes through
 * resolveSandboxProfile and createSandboxWrapper, the spawn through the real stdio transport, and
 * the wrapper's onExit runs the sandbox cleanup when the process ends.
 */
export async function startCaged(script: string, profile: SandboxProfileInput, spec: Partial<SpawnSpec> = {}, host: SandboxSupport = support): Promise<CagedServer> {
  const wrapper = createSandboxWrapper(resolveSandboxProfile(profile, { support: host }), host);
  const wrapped = wrapper.wrapSpawn({
    command: 'node',
    args: [script.includes('/') ? script : hostile(script)],
    env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
    cwd: REPO_ROOT,
    ...spec,
  });
  const sandbox = wrapper.last as SandboxedSpawn;
  const stderr: string[] = [];
  let onExited!: (value: { code: number | null; signal: NodeJS.Signals | null }) => void;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => (onExited = resolve));
  const transport = new StdioClientProcessTransport({
    spec: wrapped,
    onConsole: (stream, line) => stream === 'stderr' && stderr.push(line),
    onExit: (code, signal) => {
      wrapper.onExit();
      onExited({ code, signal });
    },
  });
  const client = new Client({ name: 'sandbox-test', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    transport,
    sandbox,
    stderr,
    exited,
    async call(tool, args = {}) {
      const result = await client.callTool({ name: tool, arguments: args });
      const first = (result.content as Array<{ type: string; text?: string }>)[0];
      return JSON.parse(first?.text ?? '{}') as Outcome;
    },
    async close() {
      await client.close();
      await exited;
    },
  };
}

/** Pids of every live (non-zombie) process running as `uid`, read from /proc. */
export function processesOf(uid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const realUid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
      const state = /^State:\s+(\S)/m.exec(status)?.[1];
      if (Number(realUid) === uid && state !== 'Z') found.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return found;
}

/** Polls until `check` holds or `ms` passes; returns the last value of `check`. */
export async function eventually(check: () => boolean, ms = 5000): Promise<boolean> {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  return check();
}
