import { execFileSync, spawn } from 'node:child_process';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import { parseContainerEntry } from '../../src/config/container-entry.js';
import { buildContainerSpawn } from '../../src/sandbox/container-spawn.js';
import { resolveSandboxProfile } from '../../src/sandbox/index.js';
import { connectHttpClient, eventually, startTestOutlet } from '../helpers/outlet.js';
import { buildLocalImage, type LocalImage } from './local-image.js';

// Needs podman and runc (.ci/run installs both) and root: the image is built here, from host files.
interface Ready {
  upstreams: { name: string; state: string; lastError?: string; sandbox?: { backend: string; enforced: string[]; notEnforced: string[] } }[];
}

let image: LocalImage;
let outlet: OutletRuntime;
let client: Client;

async function ready(): Promise<Ready> {
  return (await (await fetch(`${outlet.url}/ready`)).json()) as Ready;
}

function text(result: Awaited<ReturnType<Client['callTool']>>): string {
  return (result.content as { type: string; text: string }[])[0]!.text;
}

beforeAll(async () => {
  image = buildLocalImage();
  outlet = await startTestOutlet({
    mcpServers: {
      // As the Docker MCP catalog writes it; the outlet adds --network=none, the limits and -e PROBE_TOKEN.
      boxed: {
        command: 'podman',
        args: ['run', '-i', '--rm', image.name],
        env: { CONTAINERS_CONF: image.conf, PROBE_TOKEN: 'from-the-entry' },
        sandbox: { limits: { memoryMb: 96, pids: 40 } },
      },
      // The engine is asked first, over a socket that does not exist.
      unreachable: { command: 'podman', args: ['--remote', '--url', 'unix:///nonexistent/podman.sock', 'run', '-i', '--rm', image.name] },
      // No such engine binary on this host.
      absent: { command: 'docker', args: ['run', '-i', '--rm', image.name], env: { PATH: '/nonexistent' } },
    },
  });
  await eventually(async () => (await ready()).upstreams.find((u) => u.name === 'boxed')?.state === 'connected', 60_000);
  client = await connectHttpClient(`${outlet.url}/mcp`, '2025-11-25');
}, 120_000);

afterAll(async () => {
  await client?.close();
  await outlet?.close();
  image?.remove();
}, 60_000);

describe('a podman run -i entry', () => {
  it('is started by the gateway, lists its tools and answers a call', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['boxed__echo', 'boxed__probe']));
    const echoed = await client.callTool({ name: 'boxed__echo', arguments: { said: 'hello' } });
    expect(JSON.parse(text(echoed))).toEqual({ said: 'hello' });
  });

  it('runs with the sandbox limits as cgroup limits, no network but loopback, and the entry env', async () => {
    const seen = JSON.parse(text(await client.callTool({ name: 'boxed__probe', arguments: {} }))) as { pidsMax: string; memoryLimitBytes: string; interfaces: string[]; env: Record<string, string> };
    expect(seen.pidsMax).toBe('40');
    expect(seen.memoryLimitBytes).toBe(String(96 * 1024 * 1024));
    expect(seen.interfaces).toEqual(['lo']);
    expect(seen.env.PROBE_TOKEN).toBe('from-the-entry');
    // The host's PATH is the CLI's, not the container's.
    expect(seen.env.PATH).not.toBe(process.env.PATH);
  });

  it('shows in /ready as "container (podman)" with what is enforced', async () => {
    const boxed = (await ready()).upstreams.find((u) => u.name === 'boxed')!;
    expect(boxed.sandbox?.backend).toBe('container (podman)');
    expect(boxed.sandbox?.enforced.join('\n')).toMatch(/network: none.*--network=none/);
    expect(boxed.sandbox?.enforced.join('\n')).toContain('memory: 96 MiB');
    expect(boxed.sandbox?.enforced.join('\n')).toContain('pids: 40 tasks');
  });
});

describe('an engine that cannot be reached', () => {
  it('reports the engine\'s own message when its socket is not there', async () => {
    const down = (await eventually(async () => (await ready()).upstreams.find((u) => u.name === 'unreachable' && u.lastError), 30_000))!;
    expect(down.state).not.toBe('connected');
    expect(down.lastError).toContain('container engine unreachable: "podman --remote --url unix:///nonexistent/podman.sock version" failed');
    expect(down.lastError).toContain('/nonexistent/podman.sock');
    expect(down.sandbox?.backend).toBe('container (podman)');
  });

  it('says the binary is missing when there is no engine', async () => {
    const absent = (await eventually(async () => (await ready()).upstreams.find((u) => u.name === 'absent' && u.lastError), 30_000))!;
    expect(absent.lastError).toContain('"docker version" could not run: docker was not found on PATH');
    expect(absent.sandbox?.backend).toBe('container (docker)');
  });
});

describe('a CLI killed by signal', () => {
  it('does not leave its container running: the cleanup force-removes it by name', async () => {
    // A server that ignores both the end of stdin and SIGTERM (as PID 1 does without a handler).
    const args = ['run', '-i', '--rm', image.name, '/usr/bin/node', '-e', 'setInterval(() => {}, 1000)'];
    const spec = { command: 'podman', args, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', CONTAINERS_CONF: image.conf }, cwd: '/tmp' };
    const built = buildContainerSpawn(parseContainerEntry(spec.command, spec.args)!, spec, resolveSandboxProfile({ backend: 'none' }));
    const name = built.spec.args.find((a) => a.startsWith('--name='))!.slice('--name='.length);
    const running = (): string => execFileSync('podman', ['ps', '--all', '--filter', `name=^${name}$`, '--format', '{{.Names}}'], { env: built.spec.env, encoding: 'utf8' }).trim();
    const cli = spawn(built.spec.command, built.spec.args, { env: built.spec.env, stdio: ['pipe', 'ignore', 'ignore'] });
    try {
      await eventually(() => running() === name, 30_000);
      const gone = new Promise((r) => cli.once('exit', r));
      cli.kill('SIGKILL');
      await gone;
      expect(running()).toBe(name); // what the engine does on its own: the container outlives its CLI
    } finally {
      built.cleanup();
    }
    expect(running()).toBe('');
  });
});
