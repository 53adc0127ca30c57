import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, type Tags } from 'yaml';
import { REPO_ROOT } from '../helpers/servers.js';

// The SAM template is checked for what would only fail at deploy time: that the handler it names
// is the file the build produces and exports what Lambda will call, and that the wiring the
// serverless entry relies on (config variable, Function URL, HTTP API) is there.

const TEMPLATE = join(REPO_ROOT, 'deploy/aws/template.yaml');

/** CloudFormation's short-form intrinsics (!Ref, !Sub, ...) as their long form, on scalars and lists. */
const INTRINSICS = ['Ref', 'Sub', 'GetAtt', 'Join', 'If', 'Equals', 'Not', 'And', 'Or', 'Select', 'Split', 'FindInMap', 'Base64', 'ImportValue', 'GetAZs', 'Condition', 'Cidr'];
const cloudFormationTags: Tags = INTRINSICS.flatMap((name) => {
  const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
  return [
    { tag: `!${name}`, resolve: (value: string) => ({ [key]: name === 'GetAtt' ? value.split('.') : value }) },
    { tag: `!${name}`, collection: 'seq' as const, resolve: (value: { toJSON(): unknown }) => ({ [key]: value.toJSON() }) },
  ];
});

interface FunctionProperties {
  CodeUri: string;
  Handler: string;
  Runtime: string;
  MemorySize: number;
  Timeout: number;
  Environment: { Variables: Record<string, unknown> };
  FunctionUrlConfig: Record<string, unknown>;
  Events: Record<string, { Type: string; Properties: Record<string, unknown> }>;
}
interface Template {
  Transform: string;
  Parameters: Record<string, { Type: string; Default?: string }>;
  Resources: Record<string, { Type: string; Properties: unknown }>;
}
const template = parse(readFileSync(TEMPLATE, 'utf8'), { customTags: cloudFormationTags }) as Template;
const fn = Object.values(template.Resources).find((r) => r.Type === 'AWS::Serverless::Function')!.Properties as FunctionProperties;
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; engines: { node: string }; exports: Record<string, string> };
const build = JSON.parse(readFileSync(join(REPO_ROOT, 'tsconfig.build.json'), 'utf8')) as { compilerOptions: { rootDir: string; outDir: string } };

const savedEnv = { OUTLET_CONFIG: process.env.OUTLET_CONFIG, OUTLET_LOG_LEVEL: process.env.OUTLET_LOG_LEVEL };
afterAll(() => {
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('deploy/aws/template.yaml', () => {
  it('is a SAM template with one Node function whose runtime the package supports', () => {
    expect(template.Transform).toBe('AWS::Serverless-2016-10-31');
    const runtimeMajor = Number(/^nodejs(\d+)\.x$/.exec(fn.Runtime)?.[1]);
    const engineMajor = Number(/(\d+)/.exec(pkg.engines.node)?.[1]);
    expect(runtimeMajor).toBeGreaterThanOrEqual(engineMajor);
  });

  it('ships the package root, and its handler is the built lambda entry that mcp-outlet/lambda exports', () => {
    const codeRoot = resolve(dirname(TEMPLATE), fn.CodeUri);
    expect(JSON.parse(readFileSync(join(codeRoot, 'package.json'), 'utf8')).name).toBe(pkg.name);
    const [, modulePath, exportName] = /^(.+)\.([A-Za-z_$][\w$]*)$/.exec(fn.Handler)!;
    expect(`./${modulePath}.js`).toBe(pkg.exports['./lambda']);
    // The build compiles rootDir into outDir: the built file's source must exist.
    const source = join(REPO_ROOT, build.compilerOptions.rootDir, relative(build.compilerOptions.outDir, `${modulePath!}.ts`));
    expect(existsSync(source), source).toBe(true);
    expect(exportName).toBe('handler');
  });

  it('the named export exists and is a function Lambda can call', async () => {
    // Importing the entry starts its cold start: give it an empty config so nothing is spawned.
    process.env.OUTLET_CONFIG = '{"servers": {}}';
    process.env.OUTLET_LOG_LEVEL = 'silent';
    const entry = (await import('../../src/serverless/lambda.js')) as Record<string, unknown>;
    const [, , exportName] = /^(.+)\.([A-Za-z_$][\w$]*)$/.exec(fn.Handler)!;
    expect(typeof entry[exportName!]).toBe('function');
    const { sharedOutlet } = await import('../../src/serverless/app-factory.js');
    await (await sharedOutlet()).close();
  });

  it('passes the OutletConfig parameter as OUTLET_CONFIG, empty by default so a bundled file is used', () => {
    expect(fn.Environment.Variables.OUTLET_CONFIG).toEqual({ Ref: 'OutletConfig' });
    expect(template.Parameters.OutletConfig).toMatchObject({ Type: 'String', Default: '' });
  });

  it('is reached through a buffered Function URL and an HTTP API catch-all route', () => {
    expect(fn.FunctionUrlConfig).toMatchObject({ InvokeMode: 'BUFFERED' });
    expect(Object.values(fn.Events)).toContainEqual({ Type: 'HttpApi', Properties: { Path: '/{proxy+}', Method: 'ANY' } });
  });

  it('gives a cold start that spawns servers room: memory, time beyond the 30 s connect timeout, writable HOME', () => {
    expect(fn.MemorySize).toBeGreaterThanOrEqual(512);
    expect(fn.Timeout).toBeGreaterThan(30);
    expect(fn.Environment.Variables.HOME).toBe('/tmp');
  });
});
