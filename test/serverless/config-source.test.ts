import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isOutletError } from '../../src/errors/index.js';
import { resolveServerlessConfig } from '../../src/serverless/config-source.js';

// Where a function finds its config, on real files in a scratch directory standing in for the
// code's root (Lambda's task root).

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outlet-config-source-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const JSON_CONFIG = JSON.stringify({ servers: { fromjson: { command: 'node', args: ['a.js'] } } });
const YAML_CONFIG = 'servers:\n  fromyaml:\n    command: node\n    args: [b.js]\n';
const names = async (env: Record<string, string>) => Object.keys((await resolveServerlessConfig({ env, dir })).servers);

async function failure(env: Record<string, string>): Promise<{ code: string; message: string }> {
  try {
    await resolveServerlessConfig({ env, dir });
  } catch (err) {
    if (isOutletError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected the config lookup to fail');
}

describe('in order: OUTLET_CONFIG, OUTLET_CONFIG_FILE, a bundled file', () => {
  it('OUTLET_CONFIG holds the config as JSON or as YAML text', async () => {
    expect(await names({ OUTLET_CONFIG: JSON_CONFIG })).toEqual(['fromjson']);
    expect(await names({ OUTLET_CONFIG: YAML_CONFIG })).toEqual(['fromyaml']);
  });

  it('OUTLET_CONFIG wins over a file; an empty one (a template left blank) does not hide the bundled file', async () => {
    writeFileSync(join(dir, 'outlet.config.yaml'), YAML_CONFIG);
    expect(await names({ OUTLET_CONFIG: JSON_CONFIG })).toEqual(['fromjson']);
    expect(await names({ OUTLET_CONFIG: '  ' })).toEqual(['fromyaml']);
  });

  it('OUTLET_CONFIG_FILE is a path, relative to the code root', async () => {
    writeFileSync(join(dir, 'custom.yml'), YAML_CONFIG);
    writeFileSync(join(dir, 'outlet.config.json'), JSON_CONFIG);
    expect(await names({ OUTLET_CONFIG_FILE: 'custom.yml' })).toEqual(['fromyaml']);
  });

  it('a bundled outlet.config.json is found first, then .yaml', async () => {
    writeFileSync(join(dir, 'outlet.config.yaml'), YAML_CONFIG);
    expect(await names({})).toEqual(['fromyaml']);
    writeFileSync(join(dir, 'outlet.config.json'), JSON_CONFIG);
    expect(await names({})).toEqual(['fromjson']);
  });

  it('${VAR} references resolve against the function environment', async () => {
    const config = await resolveServerlessConfig({ env: { OUTLET_CONFIG: '{"servers":{"s":{"command":"${SERVER_CMD}"}}}', SERVER_CMD: '/opt/bin/server' }, dir });
    expect(config.servers.s).toMatchObject({ command: '/opt/bin/server' });
  });
});

describe('failures name the way out', () => {
  it('no config anywhere: all three ways and the directory searched', async () => {
    const { code, message } = await failure({});
    expect(code).toBe('CONFIG_INVALID');
    expect(message).toContain('OUTLET_CONFIG');
    expect(message).toContain('OUTLET_CONFIG_FILE');
    expect(message).toContain('outlet.config.json');
    expect(message).toContain(dir);
  });

  it('a broken OUTLET_CONFIG is blamed on the variable, with the position or the key at fault', async () => {
    const syntax = await failure({ OUTLET_CONFIG: '{"servers": {' });
    expect(syntax.code).toBe('CONFIG_INVALID');
    expect(syntax.message).toMatch(/^OUTLET_CONFIG: .*line 1/);
    const invalid = await failure({ OUTLET_CONFIG: '{"servers": {"x": {"args": []}}}' });
    expect(invalid.message).toMatch(/^OUTLET_CONFIG: servers\.x/);
  });

  it('a missing OUTLET_CONFIG_FILE says the file is not found', async () => {
    const { message } = await failure({ OUTLET_CONFIG_FILE: 'nope.json' });
    expect(message).toContain('config file not found');
    expect(message).toContain(join(dir, 'nope.json'));
  });
});
