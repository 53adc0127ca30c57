import { describe, expect, it } from 'vitest';
import { OutletError } from '../../src/errors/index.js';
import { parseContainerEntry } from '../../src/config/container-entry.js';
import { buildContainerSpawn } from '../../src/sandbox/container-spawn.js';
import { buildSandboxedSpawn, resolveSandboxProfile, type SandboxSupport } from '../../src/sandbox/index.js';
import type { SpawnSpec } from '../../src/sandbox/spawn-spec.js';

// Built without running: a described host (bwrap usable) and a probe that answers at once.
const host: SandboxSupport = { root: true, uid: 0, bwrap: { path: '/usr/bin/bwrap', usable: true }, cgroup: { v1: {} } };
const noProbe = (): void => undefined;
const profile = (input: Parameters<typeof resolveSandboxProfile>[0] = {}) => resolveSandboxProfile(input, { support: host });

function spec(command: string, args: string[], env: Record<string, string> = {}): SpawnSpec {
  return { command, args, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, cwd: '/tmp' };
}

/** The args without the container name the outlet adds (random per spawn). */
function unnamed(args: string[]): string[] {
  return args.filter((a) => !a.startsWith('--name=mcp-outlet-'));
}

function build(command: string, args: string[], options: { env?: Record<string, string>; sandbox?: Parameters<typeof resolveSandboxProfile>[0]; gateway?: NodeJS.ProcessEnv } = {}) {
  const s = spec(command, args, options.env);
  return buildContainerSpawn(parseContainerEntry(s.command, s.args)!, s, profile(options.sandbox), options.gateway ?? {}, noProbe);
}

describe('parseContainerEntry', () => {
  it('reads the Docker MCP catalog shape', () => {
    const entry = parseContainerEntry('docker', ['run', '-i', '--rm', '-e', 'GITHUB_TOKEN', 'mcp/github']);
    expect(entry).toMatchObject({ engine: 'docker', globals: [], subcommand: ['run'], image: 'mcp/github', rest: [] });
    expect(entry?.options).toEqual([
      { name: '--interactive', value: 'true' },
      { name: '--rm', value: 'true' },
      { name: '--env', value: 'GITHUB_TOKEN' },
    ]);
  });

  it('reads clusters, inline values, globals, `container run`, `--` and the container command', () => {
    const entry = parseContainerEntry('/usr/bin/podman', ['--remote', '--url', 'unix:///x.sock', 'container', 'run', '-it', '-eA=1', '--net=host', '-v', '/data:/data', '--', 'img:1', 'serve', '--port', '1']);
    expect(entry).toMatchObject({ engine: 'podman', globals: ['--remote', '--url', 'unix:///x.sock'], subcommand: ['container', 'run'], image: 'img:1', rest: ['serve', '--port', '1'] });
    expect(entry?.options).toEqual([
      { name: '--interactive', value: 'true' },
      { name: '--tty', value: 'true' },
      { name: '--env', value: 'A=1' },
      { name: '--network', value: 'host' },
      { name: '--volume', value: '/data:/data' },
    ]);
    expect(entry?.optionArgs).toEqual(['-it', '-eA=1', '--net=host', '-v', '/data:/data']);
  });

  it('leaves other commands and other engine subcommands alone', () => {
    expect(parseContainerEntry('node', ['run', 'x'])).toBeUndefined();
    expect(parseContainerEntry('docker', ['exec', '-i', 'c', 'sh'])).toBeUndefined();
    expect(parseContainerEntry('docker-compose', ['run', 'x'])).toBeUndefined();
  });
});

describe('buildContainerSpawn', () => {
  it('ensures -i and --rm and closes the network, after the user\'s flags and before the image', () => {
    const built = build('docker', ['run', 'mcp/fetch', '--verbose']);
    expect(built.spec.command).toBe('docker');
    expect(unnamed(built.spec.args)).toEqual(['run', '--interactive', '--rm', '--network=none', '--memory=1024m', '--memory-swap=1024m', '--pids-limit=256', '--cpus=1', 'mcp/fetch', '--verbose']);
    expect(built.spec.args).toContainEqual(expect.stringMatching(new RegExp(`^--name=mcp-outlet-${process.pid}-[0-9a-f]{8}$`)));
    expect(built.backend).toBe('container (docker)');
  });

  it('does not repeat -i and --rm the user wrote', () => {
    expect(unnamed(build('podman', ['run', '-i', '--rm', 'img']).spec.args)).toEqual(['run', '-i', '--rm', '--network=none', '--memory=1024m', '--memory-swap=1024m', '--pids-limit=256', '--cpus=1', 'img']);
  });

  it('maps the limits to --memory, --memory-swap, --pids-limit and --ulimit, placed last so they win', () => {
    const built = build('podman', ['run', '-i', '--rm', '--memory', '4g', 'img'], { sandbox: { limits: { memoryMb: 256, pids: 64, cpus: 0.5, cpuSeconds: 30, openFiles: 512, wallClockSeconds: 60 } } });
    const args = unnamed(built.spec.args);
    expect(args.slice(args.indexOf('4g') + 1, args.indexOf('img'))).toEqual(['--network=none', '--memory=256m', '--memory-swap=256m', '--pids-limit=64', '--cpus=0.5', '--ulimit=cpu=30:30', '--ulimit=nofile=512:512']);
    expect(built.enforced.join('\n')).toContain('memory: 256 MiB');
    expect(built.supervise).toEqual({ wallClockSeconds: 60 });
  });

  it('leaves the network as written when the sandbox allows it', () => {
    const built = build('docker', ['run', '-i', '--rm', '--network', 'host', 'img'], { sandbox: { network: 'host' } });
    expect(unnamed(built.spec.args)).toEqual(['run', '-i', '--rm', '--network', 'host', '--memory=1024m', '--memory-swap=1024m', '--pids-limit=256', '--cpus=1', 'img']);
    expect(built.notEnforced.join('\n')).toContain('network: the container\'s own network');
  });

  it('passes the entry env as -e NAME, its values through the CLI environment, never on the command line', () => {
    const built = build('docker', ['run', '-i', '--rm', '-e', 'GITHUB_TOKEN', 'img'], { env: { GITHUB_TOKEN: 'ghp-secret-1', API_KEY: 'key-secret-2', DOCKER_HOST: 'unix:///run/d.sock' } });
    const args = built.spec.args;
    expect(args.join(' ')).not.toMatch(/secret/);
    expect(args.filter((a, i) => args[i - 1] === '-e')).toEqual(['GITHUB_TOKEN', 'API_KEY']); // the user's, then ours; DOCKER_HOST is the CLI's
    expect(built.spec.env).toMatchObject({ GITHUB_TOKEN: 'ghp-secret-1', API_KEY: 'key-secret-2', DOCKER_HOST: 'unix:///run/d.sock' });
  });

  it('hands the CLI the gateway\'s engine settings and the sandbox env names, not the rest', () => {
    const built = build('docker', ['run', 'img'], { sandbox: { env: ['TEAM_ID'] }, gateway: { DOCKER_HOST: 'tcp://10.0.0.2:2376', TEAM_ID: 't-1', AWS_SECRET_ACCESS_KEY: 'no' } });
    expect(built.spec.env).toMatchObject({ DOCKER_HOST: 'tcp://10.0.0.2:2376', TEAM_ID: 't-1' });
    expect(built.spec.env.AWS_SECRET_ACCESS_KEY).toBeUndefined();
    expect(built.spec.args).toContain('TEAM_ID');
    expect(built.spec.args).not.toContain('DOCKER_HOST');
  });

  it('keeps a container name the user wrote instead of adding one', () => {
    const built = build('docker', ['run', '-i', '--rm', '--name', 'my-fetch', 'img']);
    expect(built.spec.args.filter((a) => a.startsWith('--name'))).toEqual(['--name']);
    expect(built.enforced.join('\n')).toContain('(my-fetch)');
  });

  it('keeps the engine\'s global options in front of run', () => {
    expect(build('podman', ['--remote', 'run', 'img']).spec.args.slice(0, 2)).toEqual(['--remote', 'run']);
  });
});

describe('buildSandboxedSpawn with a container entry', () => {
  it('runs the CLI outside bubblewrap, as the gateway\'s user', () => {
    // A real probe: podman answers `podman version` on this host (.ci/run installs it).
    const built = buildSandboxedSpawn(spec('podman', ['run', '-i', '--rm', 'img']), profile(), host);
    expect(built.spec.command).toBe('podman');
    expect(built.spec.uid).toBeUndefined();
    expect(built.backend).toBe('container (podman)');
  });

  it('refuses a widening flag at spawn too, as a config error', () => {
    let caught: unknown;
    try {
      buildSandboxedSpawn(spec('podman', ['run', '-i', '--privileged', 'img']), profile(), host);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(OutletError);
    expect((caught as OutletError).code).toBe('CONFIG_INVALID');
    expect((caught as OutletError).message).toContain('--privileged');
  });
});
