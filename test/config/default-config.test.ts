import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { defaultConfig, type StdioServerConfig } from '../../src/config/index.js';

const root = mkdtempSync(join(tmpdir(), 'outlet-default-'));
afterAll(() => {
  vi.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

describe('defaultConfig', () => {
  it('runs the installed filesystem and memory servers with this node, in a created workspace', () => {
    const workspace = join(root, 'ws', 'nested');
    expect(existsSync(workspace)).toBe(false);
    const config = defaultConfig({ workspaceDir: workspace });
    expect(existsSync(workspace)).toBe(true);
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 3000 });
    expect(Object.keys(config.servers)).toEqual(['filesystem', 'memory']);

    const fs = config.servers.filesystem as StdioServerConfig;
    const memory = config.servers.memory as StdioServerConfig;
    expect(fs.transport).toBe('stdio');
    expect(fs.command).toBe(process.execPath);
    expect(fs.args).toHaveLength(2);
    expect(fs.args[0]).toMatch(/server-filesystem[\\/]dist[\\/]index\.js$/);
    expect(existsSync(fs.args[0] as string)).toBe(true);
    expect(fs.args[1]).toBe(workspace);

    expect(memory.command).toBe(process.execPath);
    expect(memory.args).toHaveLength(1);
    expect(memory.args[0]).toMatch(/server-memory[\\/]dist[\\/]index\.js$/);
    expect(existsSync(memory.args[0] as string)).toBe(true);
    expect(memory.env).toEqual({ MEMORY_FILE_PATH: join(workspace, 'memory.jsonl') });
  });

  it('sandboxes both servers by the host default: the filesystem server by the data-directory rule, memory by an explicit mount', () => {
    const workspace = join(root, 'sandboxed');
    const config = defaultConfig({ workspaceDir: workspace });
    const fs = config.servers.filesystem as StdioServerConfig;
    const memory = config.servers.memory as StdioServerConfig;
    expect(fs.sandbox.mounts).toEqual([]); // the workspace is an argument: bound writable by the rule
    expect(memory.sandbox.mounts).toEqual([{ path: workspace, mode: 'rw' }]); // its path is in env, which no rule reads
    expect(memory.sandbox.backend).toBe(fs.sandbox.backend);
  });

  it('as root, hands what root owns in the workspace to the sandbox uid (and nothing else)', () => {
    // Fails, naming why, where it cannot run (it never skips).
    expect(process.getuid?.() === 0, 'needs root, as CI runs').toBe(true);
    const workspace = join(root, 'owned');
    mkdirSync(join(workspace, 'sub'), { recursive: true });
    writeFileSync(join(workspace, 'sub/file.txt'), 'x');
    writeFileSync(join(workspace, 'theirs.txt'), 'y');
    chownSync(join(workspace, 'theirs.txt'), 1234, 1234);
    const fs = defaultConfig({ workspaceDir: workspace }).servers.filesystem as StdioServerConfig;
    if (fs.sandbox.backend !== 'bubblewrap') return; // unconfined servers run as root: nothing to hand over
    for (const path of [workspace, join(workspace, 'sub'), join(workspace, 'sub/file.txt')]) expect(statSync(path).uid, path).toBe(65534);
    expect(statSync(join(workspace, 'theirs.txt')).uid).toBe(1234);
  });

  it('defaults the workspace to <cwd>/workspace', () => {
    vi.spyOn(process, 'cwd').mockReturnValue(root);
    const config = defaultConfig();
    expect((config.servers.filesystem as StdioServerConfig).args[1]).toBe(join(root, 'workspace'));
    expect(existsSync(join(root, 'workspace'))).toBe(true);
  });
});
