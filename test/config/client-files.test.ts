import { homedir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, parseConfig } from '../../src/config/index.js';
import { configFailure } from './helpers.js';

const failure = (raw: unknown, opts: Parameters<typeof parseConfig>[1]): string => configFailure(() => parseConfig(raw, opts)).message;

// A config file pasted from another MCP client works as it is: each fixture is a realistic file of
// one client family, parsed into the servers that client would start.

const FIXTURES = fileURLToPath(new URL('./fixtures/clients/', import.meta.url));
const at = (...parts: string[]): string => join(FIXTURES, ...parts);

describe('Claude Desktop (claude_desktop_config.json)', () => {
  it('starts the mcpServers and ignores the app\'s own settings with a warning', async () => {
    const config = await loadConfigFile(at('claude', 'claude_desktop_config.json'), { env: {} });
    expect(Object.keys(config.servers)).toEqual(['memory', 'filesystem', 'sequential-thinking', 'everything']);
    expect(config.servers.memory).toMatchObject({ transport: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'], env: { MEMORY_FILE_PATH: '/Users/me/mcp/memory.jsonl' } });
    expect(config.servers.filesystem).toMatchObject({ args: ['-y', '@modelcontextprotocol/server-filesystem', '/Users/me/Desktop', '/Users/me/Downloads'] });
    expect(config.warnings?.map((w) => w.path)).toEqual(['globalShortcut', 'preferences']);
    expect(config.warnings?.[0]?.message).toMatch(/^ignored: not an mcp-outlet setting/);
  });
});

describe('Cursor (.cursor/mcp.json)', () => {
  it('reads url entries, ${env:VAR}, ${workspaceFolder} (the project, not .cursor) and ${userHome}', async () => {
    const config = await loadConfigFile(at('cursor', '.cursor', 'mcp.json'), { env: { GITHUB_TOKEN: 'ghp_test' } });
    expect(config.servers.github).toMatchObject({ transport: 'streamable-http', url: 'https://api.githubcopilot.com/mcp/', headers: { Authorization: 'Bearer ghp_test' } });
    expect(config.servers.linear).toMatchObject({ transport: 'sse', url: 'https://mcp.linear.app/sse' });
    expect(config.servers['project-tools']).toMatchObject({
      transport: 'stdio',
      args: [join(FIXTURES, 'cursor', 'tools', 'mcp-server.js')],
      env: { LOG_DIR: `${homedir()}/.cache/project-tools` },
    });
    expect(config.warnings).toBeUndefined();
  });

  it('an unset ${env:VAR} is empty, as in Cursor and VS Code, with a warning naming it', async () => {
    const config = await loadConfigFile(at('cursor', '.cursor', 'mcp.json'), { env: {} });
    expect(config.servers.github).toMatchObject({ headers: { Authorization: 'Bearer ' } });
    expect(config.warnings).toEqual([{ path: 'mcpServers.github.headers.Authorization', message: 'environment variable "GITHUB_TOKEN" is not set; ${env:GITHUB_TOKEN} is empty (as in VS Code)' }]);
  });
});

describe('VS Code (.vscode/mcp.json)', () => {
  const file = at('vscode', '.vscode', 'mcp.json');

  it('takes inputs from OUTLET_INPUT_<ID>, reads envFile, and expands editor variables', async () => {
    const config = await loadConfigFile(file, { env: { OUTLET_INPUT_PERPLEXITY_KEY: 'pplx-test' } });
    expect(Object.keys(config.servers)).toEqual(['perplexity', 'fetch', 'github', 'local']);
    expect(config.servers.perplexity).toMatchObject({
      transport: 'stdio',
      command: 'npx',
      // envFile first, env over it; a pickString input falls back to its default.
      env: { PERPLEXITY_MODEL: 'sonar', LOG_LEVEL: 'debug', REGION: 'eu', PERPLEXITY_API_KEY: 'pplx-test' },
    });
    expect(config.servers.fetch).toMatchObject({ transport: 'stdio', command: 'uvx', args: ['mcp-server-fetch'] });
    expect(config.servers.github).toMatchObject({ transport: 'streamable-http', url: 'https://api.githubcopilot.com/mcp/' });
    expect(config.servers.local).toMatchObject({ args: [`${join(FIXTURES, 'vscode')}${sep}build${sep}index.js`] });
    expect(config.warnings).toEqual([{ path: 'servers.local.dev', message: expect.stringMatching(/^ignored: VS Code's development mode/) }]);
  });

  it('refuses an input with no value, naming the input, the server and the variable to set', async () => {
    const message = await loadConfigFile(file, { env: {} }).then(
      () => 'no error',
      (err: Error) => err.message,
    );
    expect(message).toBe(
      'servers.perplexity.env.PERPLEXITY_API_KEY: input "perplexity-key" ("Perplexity API Key") used by server "perplexity" has no value: the outlet cannot prompt for it; set the environment variable OUTLET_INPUT_PERPLEXITY_KEY',
    );
  });

  it('names a missing envFile', () => {
    const message = failure({ servers: { s: { command: 'node', envFile: 'absent.env' } } }, { baseDir: FIXTURES, env: {} });
    expect(message).toBe(`servers.s.envFile: cannot read env file ${join(FIXTURES, 'absent.env')} (ENOENT)`);
  });

  it('keeps a value read from envFile literal (no ${VAR} expansion of it)', () => {
    const config = parseConfig({ servers: { s: { command: 'node', envFile: 'vscode/.env', env: { X: '${env:NOPE}' } } } }, { baseDir: FIXTURES, env: {} });
    expect(config.servers.s).toMatchObject({ env: { LOG_LEVEL: 'debug', X: '' } });
  });
});

describe('Cline (cline_mcp_settings.json)', () => {
  it('maps a marketplace name, disabled, timeout (seconds), type and transportType; ignores autoApprove with a note', async () => {
    const config = await loadConfigFile(at('cline', 'cline_mcp_settings.json'), { env: {} });
    expect(config.servers['brave-search']).toMatchObject({ transport: 'stdio', enabled: true, timeoutMs: 120_000, env: { BRAVE_API_KEY: 'BSA-not-a-real-key' } });
    expect(config.servers.weather).toMatchObject({ transport: 'sse', enabled: false, url: 'https://weather.example.com/sse' });
    expect(config.servers.docs).toMatchObject({ transport: 'streamable-http', enabled: true, headers: { 'X-Api-Key': 'not-a-real-key' } });
    expect(config.warnings?.map((w) => w.path)).toEqual([
      'mcpServers["github.com/modelcontextprotocol/servers/tree/main/src/brave-search"]',
      'mcpServers.brave-search.autoApprove',
      'mcpServers.weather.autoApprove',
      'mcpServers.docs.autoApprove',
    ]);
    expect(config.warnings?.[0]?.message).toBe('renamed to "brave-search": server names appear in URLs and tool prefixes (letters, digits, "_", "-")');
    expect(config.warnings?.[1]?.message).toMatch(/nothing to auto-approve/);
  });
});

describe('Windsurf (mcp_config.json)', () => {
  it('maps serverUrl to url, disabledTools to tools.exclude and disabled to enabled: false', async () => {
    const config = await loadConfigFile(at('windsurf', 'mcp_config.json'), { env: { GITHUB_TOKEN: 'ghp_w', FIGMA_TOKEN: 'figd_w' } });
    expect(config.servers.github).toMatchObject({ env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_w' }, tools: { include: [], exclude: ['delete_repository', 'push_files'] } });
    expect(config.servers.figma).toMatchObject({ transport: 'streamable-http', url: 'https://mcp.figma.com/mcp', headers: { Authorization: 'Bearer figd_w' } });
    expect(config.servers['old-server']).toMatchObject({ enabled: false });
    expect(config.warnings).toBeUndefined();
  });
});

describe('Roo Code (mcp_settings.json)', () => {
  it('ignores alwaysAllow and watchPaths with a note and keeps the rest', async () => {
    const config = await loadConfigFile(at('roo', 'mcp_settings.json'), { env: {} });
    expect(config.servers['local-python']).toMatchObject({ transport: 'stdio', cwd: '/home/me/projects/server', timeoutMs: 60_000, enabled: true, tools: { exclude: ['dangerous_tool'] } });
    expect(config.servers.remote).toMatchObject({ transport: 'streamable-http', url: 'https://example.com/mcp' });
    expect(config.warnings?.map((w) => w.path)).toEqual(['mcpServers.local-python.alwaysAllow', 'mcpServers.local-python.watchPaths', 'mcpServers.remote.alwaysAllow']);
  });
});

describe('unknown top-level keys', () => {
  it('are ignored with a warning in a client-shaped file (a server map and no outlet key)', () => {
    const config = parseConfig({ mcpServers: { a: { command: 'x' } }, theme: 'dark' }, { env: {} });
    expect(config.warnings).toEqual([{ path: 'theme', message: "ignored: not an mcp-outlet setting (a key of the client's own file)" }]);
  });

  it('are refused, with a did-you-mean, when close to an outlet key, even in a client-shaped file', () => {
    expect(failure({ mcpServers: { a: { command: 'x' } }, listn: { port: 1 } }, { env: {} })).toBe('listn: unknown key (did you mean "listen"?)');
  });

  it('are refused in a file that uses the outlet\'s own keys', () => {
    expect(failure({ listen: { port: 1 }, servers: { a: { command: 'x' } }, theme: 'dark' }, { env: {} })).toBe('theme: unknown key');
  });

  it('a repository-path name whose last segment is taken is refused with the name rule', () => {
    expect(failure({ mcpServers: { github: { command: 'x' }, 'github.com/o/servers/src/github': { command: 'y' } } }, { env: {} })).toMatch(
      /^mcpServers\["github\.com\/o\/servers\/src\/github"\]: invalid server name/,
    );
  });

  it('a client key that conflicts with the outlet\'s spelling is refused, naming both', () => {
    expect(failure({ mcpServers: { a: { url: 'http://127.0.0.1:1/mcp', serverUrl: 'http://127.0.0.1:2/mcp' } } }, { env: {} })).toBe(
      'mcpServers.a.serverUrl: conflicts with "url" ("http://127.0.0.1:1/mcp"); keep one of the two',
    );
  });
});
