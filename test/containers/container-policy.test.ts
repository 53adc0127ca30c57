import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { parseContainerEntry } from '../../src/config/container-entry.js';
import { ALLOW_FLAGS_VARIABLE, containerProblems } from '../../src/config/container-policy.js';
import { resolveSandboxProfile, type SandboxSupport } from '../../src/sandbox/index.js';
import { configFailure } from '../config/helpers.js';

const host: SandboxSupport = { root: true, uid: 0, bwrap: { path: '/usr/bin/bwrap', usable: true }, cgroup: { v1: {} } };

function problems(args: string[], sandbox: Parameters<typeof resolveSandboxProfile>[0] = {}, allowed: string[] = []): string[] {
  return containerProblems(parseContainerEntry('docker', args)!, resolveSandboxProfile(sandbox, { support: host }), new Set(allowed));
}

describe('flags that widen the cage', () => {
  it.each([
    [['--privileged'], '--privileged'],
    [['--cap-add', 'SYS_ADMIN'], '--cap-add SYS_ADMIN'],
    [['--cap-add=ALL'], '--cap-add ALL'],
    [['--security-opt', 'seccomp=unconfined'], '--security-opt seccomp=unconfined'],
    [['--security-opt', 'apparmor=unconfined'], '--security-opt apparmor=unconfined'],
    [['-v', '/:/host'], '--volume /:/host'],
    [['-v', '/var/run/docker.sock:/var/run/docker.sock'], "engine's socket"],
    [['--mount', 'type=bind,source=/etc,target=/etc'], "host's /etc"],
    [['--pid', 'host'], '--pid host'],
    [['--pid=host'], '--pid host'],
    [['--ipc', 'host'], '--ipc host'],
    [['--userns=host'], '--userns host'],
    [['--device', '/dev/sda'], '--device /dev/sda'],
    [['--gpus', 'all'], '--gpus all'],
  ])('%j is refused, naming the flag and how to allow it', (flags, named) => {
    const found = problems(['run', '-i', '--rm', ...flags, 'img']);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(named);
    expect(found[0]).toContain(`${ALLOW_FLAGS_VARIABLE}=`);
  });

  it('passes with the operator\'s opt-in for that flag only', () => {
    expect(problems(['run', '-i', '--privileged', '--device', '/dev/fuse', 'img'], {}, ['--privileged', '--device'])).toEqual([]);
    expect(problems(['run', '-i', '--privileged', '--cap-add', 'NET_ADMIN', 'img'], {}, ['--privileged'])).toHaveLength(1);
  });

  it('lets ordinary flags, named volumes and data directories through', () => {
    expect(problems(['run', '-i', '--rm', '-e', 'A', '-v', 'data:/data', '-v', '/srv/notes:/notes:ro', '--security-opt', 'no-new-privileges', '--read-only', 'img'])).toEqual([]);
  });
});

describe('the network and the stdio stream', () => {
  it('refuses --network host while the sandbox says "none", and allows it when it says "host"', () => {
    expect(problems(['run', '-i', '--network', 'host', 'img'])[0]).toContain('set sandbox.network to "host" for this server');
    expect(problems(['run', '-i', '--net=bridge', 'img'])[0]).toContain('--network bridge');
    expect(problems(['run', '-i', '--network', 'none', 'img'])).toEqual([]);
    expect(problems(['run', '-i', '--network', 'host', 'img'], { network: 'host' })).toEqual([]);
  });

  it('refuses an egress allowlist, which a container network cannot reach', () => {
    expect(problems(['run', '-i', 'img'], { network: { allow: ['api.github.com'] } })[0]).toContain('sandbox.network { allow } cannot be applied to a container');
  });

  it('refuses a TTY, a detached start and a missing image', () => {
    expect(problems(['run', '-it', 'img'])[0]).toContain('--tty');
    expect(problems(['run', '-d', 'img'])[0]).toContain('--detach');
    expect(problems(['run', '-i', '--rm'])[0]).toContain('names no image');
  });
});

describe('a pasted config with a widening flag', () => {
  it('fails validation at the entry\'s args, before anything starts', () => {
    const err = configFailure(() => parseConfig({ mcpServers: { fetch: { command: 'docker', args: ['run', '-i', '--rm', '--privileged', 'mcp/fetch'] } } }));
    expect(err.data.issues).toEqual([{ path: 'mcpServers.fetch.args', message: expect.stringContaining('--privileged gives the container every capability') }]);
  });

  it('is accepted as the Docker MCP catalog writes it', () => {
    const config = parseConfig({ mcpServers: { fetch: { command: 'docker', args: ['run', '-i', '--rm', 'mcp/fetch'] } } });
    expect(config.servers.fetch).toMatchObject({ transport: 'stdio', command: 'docker', args: ['run', '-i', '--rm', 'mcp/fetch'] });
  });
});
