import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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

  it('defaults the workspace to <cwd>/workspace', () => {
    vi.spyOn(process, 'cwd').mockReturnValue(root);
    const config = defaultConfig();
    expect((config.servers.filesystem as StdioServerConfig).args[1]).toBe(join(root, 'workspace'));
    expect(existsSync(join(root, 'workspace'))).toBe(true);
  });
});
