import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverPaths } from '../../src/sandbox/server-paths.js';

/** Which `env` values name a data directory the sandbox binds writable (or creates), and which do not. */
let tree: string;
let app: string;
const node = process.execPath;
const paths = (env: Record<string, string>) => serverPaths({ command: node, args: [join(app, 'server.js')], env, cwd: app }, node);

beforeAll(() => {
  tree = mkdtempSync(join(tmpdir(), 'outlet-env-paths-'));
  app = join(tree, 'app');
  mkdirSync(join(app, 'state'), { recursive: true });
  writeFileSync(join(app, 'package.json'), '{}');
  writeFileSync(join(app, 'server.js'), '');
});

afterAll(() => rmSync(tree, { recursive: true, force: true }));

describe('env values that name the server data', () => {
  it('binds the directory of a file path, absolute or ./-relative, writable', () => {
    expect(paths({ MEMORY_FILE_PATH: join(app, 'state', 'memory.jsonl') }).readWrite).toContain(join(app, 'state'));
    expect(paths({ DB: './state/db.sqlite' }).readWrite).toContain(join(app, 'state'));
    expect(paths({ DATA_DIR: join(app, 'state') }).readWrite).toContain(join(app, 'state'));
  });

  it('lists a missing directory below an existing one for the caller to create', () => {
    const p = paths({ MEMORY_FILE_PATH: join(app, 'data', 'memory.jsonl') });
    expect(p.missing).toEqual([join(app, 'data')]);
    expect(p.readWrite).not.toContain(join(app, 'data'));
  });

  it('leaves alone lists, URLs, words, system trees, the code directory and too broad places', () => {
    const p = paths({
      PATH: '/usr/bin:/bin',
      URL: 'https://example.com/x',
      MIME: 'text/plain',
      BASE: '/api/v1',
      SYS: '/etc/ssl/certs/ca.pem',
      CODE: join(app, 'config.json'),
      HOME_FILE: '/root/.token',
    });
    expect(p.readWrite).toEqual([]);
    expect(p.missing).toEqual([]);
  });
});
