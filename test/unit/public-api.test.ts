import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as outlet from '../../src/index.js';

describe('the package entry (mcp-outlet)', () => {
  it('exports the runtime, the gateway, the HTTP app, config parsing and the error table', () => {
    for (const name of ['startOutlet', 'resolveConfig', 'Gateway', 'createHttpApp', 'defaultConfig', 'loadConfigFile', 'parseConfig', 'parseConfigText', 'configJsonSchema', 'OutletError', 'isOutletError']) {
      expect(typeof (outlet as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(outlet.ERROR_TABLE.UNKNOWN_TOOL.http).toBe(404);
  });

  it('maps every package export to a source file that the build compiles', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { exports: Record<string, string> };
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (entry === './package.json') continue;
      const source = target.replace('./dist/', '../../src/').replace(/\.js$/, '.ts');
      expect(() => readFileSync(new URL(source, import.meta.url)), `${entry} -> ${target}`).not.toThrow();
    }
  });
});
