import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as outlet from '../../src/index.js';
import { silentLogger } from '../../src/observability/logger.js';

/** Every name `src/index.ts` exports, values and types apart (read from its export statements). */
function entryExports(): { values: string[]; types: string[] } {
  const path = new URL('../../src/index.ts', import.meta.url);
  const source = ts.createSourceFile('index.ts', readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const values: string[] = [];
  const types: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement) || !statement.exportClause || !ts.isNamedExports(statement.exportClause)) continue;
    for (const element of statement.exportClause.elements) (statement.isTypeOnly || element.isTypeOnly ? types : values).push(element.name.text);
  }
  return { values: values.sort(), types: types.sort() };
}

describe('the package entry (mcp-outlet)', () => {
  it('exports exactly the public API: createOutlet, startOutlet, config helpers, errors', () => {
    expect(Object.keys(outlet).sort()).toEqual(['ERROR_TABLE', 'OutletError', 'configJsonSchema', 'createOutlet', 'defaultConfig', 'defineServer', 'defineTool', 'isOutletError', 'loadConfigFile', 'parseConfig', 'parseConfigText', 'serveOverStdio', 'startOutlet']);
    for (const name of ['createOutlet', 'startOutlet', 'defaultConfig', 'loadConfigFile', 'parseConfig', 'parseConfigText', 'configJsonSchema', 'OutletError', 'isOutletError', 'defineTool', 'defineServer', 'serveOverStdio']) {
      expect(typeof (outlet as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(outlet.ERROR_TABLE.UNKNOWN_TOOL.http).toBe(404);
  });

  it('exports exactly these types: the options and results of the two starts, config types, error codes and the extension types', () => {
    const { values, types } = entryExports();
    expect(values).toEqual(Object.keys(outlet).sort());
    expect(types).toEqual(['CallContext', 'ConfigFormat', 'CreateOutletOptions', 'Interceptor', 'Middleware', 'Outlet', 'OutletConfig', 'OutletErrorCode', 'OutletRuntimeOptions', 'OutletServer', 'ParseConfigOptions', 'ReloadResult', 'ServerConfig', 'ServerDefinition', 'ToolAnswer', 'ToolDefinition', 'ToolRunContext']);
  });

  it('keeps the gateway and its HTTP app internal', () => {
    expect(outlet).not.toHaveProperty('Gateway');
    expect(outlet).not.toHaveProperty('createHttpApp');
  });

  it('serves Web requests from createOutlet, reloads and closes', async () => {
    const served = await outlet.createOutlet(outlet.parseConfig({ servers: {} }), { logger: silentLogger() });
    try {
      const health = await served.fetch(new Request('http://localhost/health'));
      expect(health.status).toBe(200);
      await served.whenStarted();
      expect(await served.reload(outlet.parseConfig({ servers: {} }))).toEqual({ added: [], removed: [], changed: [], unchanged: [] });
      // No reload handler was given: the embedded config has no file behind it. (A Request built by
      // hand has no Host header; the loopback guard wants one naming localhost.)
      expect((await served.fetch(new Request('http://localhost/api/reload', { method: 'POST', headers: { host: 'localhost' } }))).status).toBe(409);
      expect(served).not.toHaveProperty('gateway');
    } finally {
      await served.close();
    }
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
