import { dirname, resolve } from 'node:path';
import { adaptClientFile } from './client-file.js';
import { configInputSchema } from './gateway-schema.js';
import { expandBuiltins } from './expand-builtins.js';
import { interpolateEnv } from './interpolate.js';
import { configError, throwIfIssues, type PathSegment } from './issues.js';
import { normalizeConfig } from './normalize.js';
import { schemaAt } from './schema-walk.js';
import type { OutletConfig } from './types.js';
import { configErrorMap, fromZodIssues } from './zod-issues.js';

/** Options shared by every entry point that turns raw data into an {@link OutletConfig}. */
export interface ParseConfigOptions {
  /** Variables for `${VAR}` interpolation. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Directory that relative `cwd` values resolve against. Default: the source's directory, else `process.cwd()`. */
  baseDir?: string;
  /** Path of the file the data came from; stored (absolute) as `source`. */
  source?: string;
}

/**
 * A string that was nothing but one `${VAR}` reference stands for the variable's value, so where
 * the schema wants a number or boolean (`"port": "${PORT:-3000}"`) it is converted. Literal strings
 * such as `"3000"` are left alone and still fail as "expected number, got string".
 */
function convertTypedReferences(tree: unknown, paths: readonly PathSegment[][]): void {
  for (const path of paths) {
    const kind = schemaAt(configInputSchema, path)?._zod.def.type;
    if (kind !== 'number' && kind !== 'boolean') continue;
    let parent: unknown = tree;
    for (const seg of path.slice(0, -1)) parent = (parent as Record<PathSegment, unknown>)[seg];
    const key = path[path.length - 1] as PathSegment;
    const holder = parent as Record<PathSegment, unknown>;
    const text = String(holder[key]).trim();
    if (kind === 'number' && /^-?\d+(\.\d+)?$/.test(text)) holder[key] = Number(text);
    if (kind === 'boolean' && (text === 'true' || text === 'false')) holder[key] = text === 'true';
  }
}

/**
 * Validates already-interpolated data against the input schema and normalizes it. Callers that
 * build a config in code (and so must not interpolate) use this instead of {@link parseConfig}.
 */
export function buildConfig(data: unknown, opts: Omit<ParseConfigOptions, 'env'> = {}): OutletConfig {
  const source = opts.source === undefined ? undefined : resolve(opts.source);
  const baseDir = resolve(opts.baseDir ?? (source === undefined ? process.cwd() : dirname(source)));
  const extra = source === undefined ? undefined : { source };
  // Built-in tool servers become the stdio entries that run them before the file is checked as a whole.
  const builtins = expandBuiltins(data, baseDir);
  throwIfIssues(builtins.issues, extra);
  const result = configInputSchema.safeParse(builtins.value, { error: configErrorMap });
  if (!result.success) throw configError(fromZodIssues(result.error.issues, configInputSchema), extra);
  return normalizeConfig(result.data, builtins.value, source === undefined ? { baseDir } : { baseDir, source });
}

/**
 * Turns parsed config data (from JSON, YAML or code) into a normalized {@link OutletConfig}:
 * interpolates `${VAR}` references, validates, fills defaults and checks cross-field rules. Every
 * failure is one OutletError with code CONFIG_INVALID listing all issues.
 *
 * @example
 * const config = parseConfig({ servers: { fs: { command: 'node', args: ['server.js'] } } });
 * config.servers.fs; // { transport: 'stdio', command: 'node', args: ['server.js'], prefix: 'fs', ... }
 */
export function parseConfig(raw: unknown, opts: ParseConfigOptions = {}): OutletConfig {
  const env = opts.env ?? process.env;
  const extra = opts.source === undefined ? undefined : { source: resolve(opts.source) };
  // Another client's file (VS Code inputs and variables, Cline keys, ...) in the outlet's terms first.
  const client = adaptClientFile(raw, { env, ...(opts.source !== undefined ? { source: opts.source } : {}), ...(opts.baseDir !== undefined ? { baseDir: opts.baseDir } : {}) });
  throwIfIssues(client.issues, extra);
  const interpolated = interpolateEnv(client.value, env);
  throwIfIssues(interpolated.issues, extra);
  convertTypedReferences(interpolated.value, interpolated.wholeReferences);
  const { env: _env, ...rest } = opts;
  const config = buildConfig(interpolated.value, rest);
  if (client.warnings.length > 0) config.warnings = client.warnings;
  return config;
}
