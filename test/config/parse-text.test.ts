import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/index.js';
import { configFailure } from './helpers.js';

const fail = (text: string, format: 'json' | 'yaml'): string => configFailure(() => parseConfigText(text, format, { env: {} })).message;

describe('parseConfigText: JSON', () => {
  it('parses a JSON config (with a BOM and comments, as VS Code files have)', () => {
    const text = '\uFEFF{\n  // the file server\n  "mcpServers": { "fs": { "command": "node" /* inline */ } }\n}\n';
    expect(parseConfigText(text, 'json').servers.fs).toMatchObject({ transport: 'stdio', command: 'node' });
  });

  it('reports a duplicate key with its config path and both positions', () => {
    const text = '{\n  "servers": {\n    "fs": { "command": "a", "command": "b" }\n  }\n}';
    expect(fail(text, 'json')).toBe('servers.fs.command: duplicate key at line 3, column 29 (first at line 3, column 13)');
  });

  it('reports duplicate server names too (JSON.parse would keep the last silently)', () => {
    const text = '{"servers": {\n"a": {"command": "x"},\n"a": {"command": "y"}}}';
    expect(fail(text, 'json')).toBe('servers.a: duplicate key at line 3, column 1 (first at line 2, column 1)');
  });

  it('reports syntax errors with line and column', () => {
    expect(fail('{\n  "servers": {\n    "fs": { "command": }\n  }\n}', 'json')).toBe('line 3, column 24: invalid JSON: unexpected "}", expected a value');
    expect(fail('{\n  "listen": { "port": 1, }\n}', 'json')).toBe('line 2, column 26: invalid JSON: trailing comma before "}"');
    expect(fail('{ "a": "x\n" }', 'json')).toBe('line 1, column 10: invalid JSON: control character in string (escape it, e.g. \\n)');
    expect(fail('{ "servers": {} ', 'json')).toBe('line 1, column 17: invalid JSON: unexpected end of input, expected "," or "}"');
    expect(fail('{} x', 'json')).toBe('line 1, column 4: invalid JSON: unexpected "x" after the end of the JSON value');
    expect(fail('', 'json')).toBe('line 1, column 1: invalid JSON: unexpected end of input, expected a value');
  });

  it('decodes escapes and numbers like JSON.parse', () => {
    const text = '{"listen": {"port": 3e3}, "servers": {"a": {"command": "c:\\\\bin\\u0041\\"", "args": ["-1.5e-2"]}}}';
    const config = parseConfigText(text, 'json');
    expect(config.listen.port).toBe(3000);
    expect(config.servers.a).toMatchObject({ command: 'c:\\binA"', args: ['-1.5e-2'] });
  });

  it('keeps "__proto__" an ordinary (and therefore unknown) key', () => {
    expect(fail('{"__proto__": {"x": 1}}', 'json')).toBe('__proto__: unknown key');
  });
});

describe('parseConfigText: YAML', () => {
  it('parses a YAML config', () => {
    const config = parseConfigText('listen:\n  port: 8080\nservers:\n  remote:\n    url: https://example.com/mcp\n', 'yaml');
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(config.servers.remote).toMatchObject({ transport: 'streamable-http', url: 'https://example.com/mcp' });
  });

  it('reports YAML duplicate keys and syntax errors with line and column', () => {
    expect(fail('servers:\n  fs:\n    command: a\n    command: b\n', 'yaml')).toBe('line 4, column 5: invalid YAML: Map keys must be unique');
    expect(fail('servers:\n  a: 1\n b: 2\n', 'yaml')).toBe('line 3, column 1: invalid YAML: All mapping items must start at the same column');
  });

  it('validates YAML values with the same messages as JSON', () => {
    expect(fail('servers:\n  fs:\n    command: 42\n', 'yaml')).toBe('servers.fs.command: expected string, got number');
  });
});
