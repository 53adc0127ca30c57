import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatOfPath, loadConfigFile } from '../../src/config/index.js';
import { configFailureAsync } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'outlet-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadConfigFile', () => {
  it('loads a YAML file, interpolates env, and resolves cwd against the file directory', async () => {
    const file = join(dir, 'outlet.yaml');
    writeFileSync(file, 'servers:\n  fs:\n    command: node\n    args: [server.js]\n    cwd: data\n  web:\n    url: ${WEB_URL}\n');
    const config = await loadConfigFile(file, { env: { WEB_URL: 'http://127.0.0.1:9/sse' } });
    expect(config.source).toBe(file);
    expect(config.servers.fs).toMatchObject({ transport: 'stdio', command: 'node', args: ['server.js'], cwd: join(dir, 'data') });
    expect(config.servers.web).toMatchObject({ transport: 'sse', url: 'http://127.0.0.1:9/sse' });
  });

  it('loads a JSON file (Claude Desktop shape) and defaults cwd to its directory', async () => {
    const file = join(dir, 'claude_desktop_config.json');
    writeFileSync(file, JSON.stringify({ mcpServers: { mem: { command: 'npx', args: ['-y', 'x'], env: { A: 'b' } } } }));
    const config = await loadConfigFile(file, { env: {} });
    expect(config.servers.mem).toMatchObject({ name: 'mem', cwd: dir, env: { A: 'b' } });
  });

  it('puts the file path in the error data of a validation failure', async () => {
    const file = join(dir, 'bad.yml');
    writeFileSync(file, 'servers:\n  fs:\n    comand: node\n');
    const err = await configFailureAsync(() => loadConfigFile(file, { env: {} }));
    expect(err.message).toBe('servers.fs.comand: unknown key (did you mean "command"?)');
    expect(err.data).toMatchObject({ source: file });
  });

  it('reports a missing file as CONFIG_INVALID naming the file', async () => {
    const file = join(dir, 'nope.json');
    const err = await configFailureAsync(() => loadConfigFile(file));
    expect(err.message).toBe(`${file}: config file not found`);
  });

  it('reports an unreadable path (a directory) naming the file', async () => {
    const err = await configFailureAsync(() => loadConfigFile(dir));
    expect(err.message).toBe(`${dir}: cannot read config file (EISDIR)`);
  });

  it('picks the format from the extension', () => {
    expect([formatOfPath('a.yaml'), formatOfPath('a.YML'), formatOfPath('a.json'), formatOfPath('a.jsonc'), formatOfPath('config')]).toEqual(['yaml', 'yaml', 'json', 'json', 'json']);
  });
});
