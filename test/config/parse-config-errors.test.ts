import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { configFailure } from './helpers.js';

describe('parseConfig: errors', () => {
  const fail = (raw: unknown): string => configFailure(() => parseConfig(raw, { env: {} })).message;

  it('reports a missing command at servers.<name>.command for a stdio-looking entry', () => {
    expect(fail({ servers: { fs: { args: ['x'] } } })).toBe('servers.fs.command: required');
    expect(fail({ servers: { fs: { type: 'stdio' } } })).toBe('servers.fs.command: required');
    expect(fail({ servers: { web: { transport: 'sse' } } })).toBe('servers.web.url: required');
  });

  it('reports a wrong type with expected and actual types', () => {
    const err = configFailure(() => parseConfig({ servers: { fs: { command: 42 } } }));
    expect(err.message).toBe('servers.fs.command: expected string, got number');
    expect(err.data.issues).toEqual([{ path: 'servers.fs.command', message: 'expected string, got number' }]);
    expect(fail({ listen: { port: 1.5 } })).toBe('listen.port: expected integer, got 1.5');
    expect(fail({ servers: { fs: { command: 'x', args: 'a b' } } })).toBe('servers.fs.args: expected array, got string');
  });

  it('uses the key the user wrote (mcpServers) in paths', () => {
    expect(fail({ mcpServers: { fs: { command: null } } })).toBe('mcpServers.fs.command: expected string, got null');
  });

  it('reports unknown keys with a did-you-mean suggestion when one is close', () => {
    expect(fail({ servers: { fs: { comand: 'node' } } })).toBe('servers.fs.comand: unknown key (did you mean "command"?)');
    expect(fail({ listen: { hots: 'x' }, bogus: 1 })).toBe('listen.hots: unknown key (did you mean "host"?)\nbogus: unknown key');
  });

  it('suggests the closest enum value', () => {
    expect(fail({ servers: { a: { url: 'http://h', type: 'htp' } } })).toBe('servers.a.type: expected one of "stdio", "http", "streamable-http", "sse" (did you mean "http"?)');
  });

  it('rejects an entry with both command and url, or neither', () => {
    expect(fail({ servers: { fs: { command: 'x', url: 'http://h' } } })).toBe('servers.fs: has both "command" and "url": a server is either stdio (command) or HTTP (url)');
    expect(fail({ servers: { fs: {} } })).toBe('servers.fs: needs either "command" (stdio server) or "url" (HTTP server)');
  });

  it('rejects fields and transports of the other kind', () => {
    expect(fail({ servers: { a: { url: 'http://h', cwd: '.' } } })).toBe('servers.a.cwd: only applies to stdio servers (command)');
    expect(fail({ servers: { a: { command: 'x', headers: {} } } })).toBe('servers.a.headers: only applies to HTTP servers (url)');
    expect(fail({ servers: { a: { command: 'x', transport: 'sse' } } })).toBe('servers.a.transport: "sse" does not fit a stdio server (command)');
    expect(fail({ servers: { a: { url: 'http://h', transport: 'sse', type: 'http' } } })).toBe('servers.a.type: "http" conflicts with transport "sse"');
  });

  it('rejects bad server names and non-http URLs', () => {
    expect(fail({ servers: { 'my server': { command: 'x' } } })).toBe('servers["my server"]: invalid server name: use letters, digits, "_" and "-", starting with a letter or digit');
    expect(fail({ servers: { _x: { command: 'x' } } })).toBe('servers._x: invalid server name: use letters, digits, "_" and "-", starting with a letter or digit');
    expect(fail({ servers: { a: { url: 'ftp://h/x' } } })).toBe('servers.a.url: expected an http:// or https:// URL');
  });

  it('names both entries when enabled servers share a prefix', () => {
    expect(fail({ servers: { a: { command: 'x' }, b: { command: 'y', prefix: 'a' } } })).toBe(
      'servers.b.prefix: prefix "a" is already used by servers.a; prefixes of enabled servers must be unique',
    );
    expect(fail({ servers: { a: { command: 'x', prefix: 'p' } }, mcpServers: { p: { command: 'y' } } })).toBe(
      'mcpServers.p: prefix "p" is already used by servers.a; prefixes of enabled servers must be unique',
    );
  });

  it('rejects the same server name under servers and mcpServers', () => {
    expect(fail({ servers: { a: { command: 'x' } }, mcpServers: { a: { command: 'y' } } })).toBe('mcpServers.a: server "a" is also defined at servers.a');
  });

  it('rejects prefixes that would make namespaced names ambiguous', () => {
    expect(fail({ servers: { a__b: { command: 'x' } } })).toBe('servers.a__b: server name "a__b" contains the namespace separator "__"; set "prefix" to another value');
    expect(fail({ servers: { a: { command: 'x', prefix: 'a_' } } })).toBe('servers.a.prefix: prefix "a_" ends with part of the namespace separator "__"');
    expect(fail({ namespace: { separator: 'x' } })).toBe('namespace.separator: expected 1 to 4 characters from "_", "-" and "."');
  });

  it('reports every issue at once, one line each, and rejects a non-object document', () => {
    const err = configFailure(() => parseConfig({ servers: { a: { command: 1 }, b: { url: 2 } } }));
    expect(err.message.split('\n')).toEqual(['servers.a.command: expected string, got number', 'servers.b.url: expected string, got number']);
    expect(fail([])).toBe('(root): expected object, got array');
  });
});
