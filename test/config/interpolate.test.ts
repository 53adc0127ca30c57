import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { configFailure } from './helpers.js';

const withCommand = (command: string, env: NodeJS.ProcessEnv): string => {
  const server = parseConfig({ servers: { a: { command } } }, { env }).servers.a;
  return server?.transport === 'stdio' ? server.command : 'not stdio';
};

describe('environment interpolation', () => {
  it('substitutes ${VAR} anywhere in a string value', () => {
    expect(withCommand('${BIN}/run --x=${X}', { BIN: '/opt', X: '1' })).toBe('/opt/run --x=1');
  });

  it('uses ${VAR:-default} when the variable is unset or empty', () => {
    expect(withCommand('${NOPE:-fallback}', {})).toBe('fallback');
    expect(withCommand('${EMPTY:-fallback}', { EMPTY: '' })).toBe('fallback');
    expect(withCommand('${SET:-fallback}', { SET: 'value' })).toBe('value');
    expect(withCommand('x${EMPTY}y', { EMPTY: '' })).toBe('xy');
  });

  it('treats $${ as a literal ${', () => {
    expect(withCommand('echo $${HOME} ${A}', { A: 'a', HOME: '/home' })).toBe('echo ${HOME} a');
  });

  it('reports a missing variable with its path and name', () => {
    const err = configFailure(() => parseConfig({ servers: { r: { url: 'http://h/mcp', headers: { Authorization: 'Bearer ${TOKEN}' } } } }, { env: {} }));
    expect(err.message).toBe('servers.r.headers.Authorization: environment variable "TOKEN" is not set (write ${TOKEN:-default} to give a default)');
  });

  it('reports malformed references with their path', () => {
    expect(configFailure(() => parseConfig({ servers: { a: { command: 'x', args: ['${1X}'] } } }, { env: {} })).message).toBe(
      'servers.a.args[0]: invalid reference "${1X}": expected ${NAME} or ${NAME:-default}',
    );
    expect(configFailure(() => parseConfig({ servers: { a: { command: 'a ${B' } } }, { env: {} })).message).toBe('servers.a.command: unclosed "${" at character 3');
  });

  it('interpolates before validation, so a reference can fill a URL', () => {
    const config = parseConfig({ servers: { r: { url: '${BASE}/sse' } } }, { env: { BASE: 'http://h:1' } });
    expect(config.servers.r).toMatchObject({ url: 'http://h:1/sse', transport: 'sse' });
  });

  it('turns a whole-value reference into a number or boolean where the schema wants one', () => {
    const config = parseConfig({ listen: { port: '${PORT:-4000}' }, reload: { watch: '${WATCH}' } }, { env: { WATCH: 'false' } });
    expect(config.listen.port).toBe(4000);
    expect(config.reload.watch).toBe(false);
    // A literal string is still a type error: only env-derived values are converted.
    expect(configFailure(() => parseConfig({ listen: { port: '3000' } }, { env: {} })).message).toBe('listen.port: expected number, got string');
    expect(configFailure(() => parseConfig({ listen: { port: '${P}' } }, { env: { P: 'abc' } })).message).toBe('listen.port: expected number, got string');
  });
});
