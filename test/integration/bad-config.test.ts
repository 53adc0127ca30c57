import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOutlet } from '../helpers/cli.js';

// `outlet validate` names the exact path and reason of each mistake and exits non-zero;
// `outlet serve` refuses to start on the same file.
const dir = mkdtempSync(join(tmpdir(), 'outlet-badcfg-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('outlet validate', () => {
  it('accepts a good file (JSON, with the Claude Desktop key)', async () => {
    const path = file('good.json', JSON.stringify({ mcpServers: { fs: { command: 'node', args: ['server.js'] }, remote: { url: 'http://127.0.0.1:9/mcp' } } }));
    const r = await runOutlet(['validate', path]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('valid (2 servers: fs, remote)');
  });

  it('accepts YAML', async () => {
    const path = file('good.yaml', 'servers:\n  fs:\n    command: node\n    args: [server.js]\n');
    const r = await runOutlet(['validate', path]);
    expect(r.code).toBe(0);
  });

  it.each([
    ['missing command', { servers: { fs: { args: ['x'] } } }, 'servers.fs.command: required'],
    ['wrong type', { servers: { fs: { command: 5 } } }, 'servers.fs.command: expected string, got number'],
    ['unknown key', { servers: { fs: { comand: 'node' } } }, 'servers.fs.comand: unknown key (did you mean "command"?)'],
    ['duplicate prefixes', { servers: { a: { command: 'x', prefix: 'p' }, b: { command: 'y', prefix: 'p' } } }, 'servers.b.prefix: prefix "p" is already used by servers.a'],
    ['a name in both servers and mcpServers', { servers: { a: { command: 'x' } }, mcpServers: { a: { command: 'y' } } }, 'mcpServers.a: server "a" is also defined at servers.a'],
  ])('refuses %s with the path and reason', async (_name, config, message) => {
    const path = file(`bad-${_name.replace(/\W+/g, '-')}.json`, JSON.stringify(config));
    const r = await runOutlet(['validate', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('refuses a duplicate key that JSON.parse would silently drop', async () => {
    const path = file('dupkey.json', '{"servers":{"a":{"command":"x"},"a":{"command":"y"}}}');
    const r = await runOutlet(['validate', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('servers.a: duplicate key at line 1, column 33');
  });

  it('names a missing file', async () => {
    const r = await runOutlet(['validate', join(dir, 'absent.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('absent.json');
  });

  it('outlet serve exits non-zero on an invalid file without starting', async () => {
    const path = file('serve-bad.json', JSON.stringify({ servers: { fs: { command: 5 } } }));
    const r = await runOutlet(['serve', '--config', path, '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('servers.fs.command: expected string, got number');
  });
});

describe('outlet schema', () => {
  it('prints the JSON Schema of the config file', async () => {
    const r = await runOutlet(['schema']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['listen', 'servers', 'mcpServers']));
  });
});
