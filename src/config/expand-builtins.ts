import * as z from 'zod';
import { BUILTINS, type BuiltinSpec } from './builtins/index.js';
import { outletPackageRoot } from './builtins/outlet-package.js';
import { suggest } from './did-you-mean.js';
import { formatPath, type ConfigIssue } from './issues.js';
import { serverEntryShape } from './server-schema.js';
import { configErrorMap, fromZodIssues } from './zod-issues.js';

/** The server entry keys a built-in entry takes besides its own options. */
const COMMON_KEYS = ['enabled', 'prefix', 'tools', 'timeoutMs', 'calls', 'health', 'codeMode', 'sandbox', 'instances'] as const;

/** The program that serves every built-in: this package's own CLI (`outlet builtin <name>`). */
const OUTLET_BIN = new URL('../../bin/outlet.js', import.meta.url).pathname;

/** The environment variable a built-in's process reads its options from (JSON); src/builtins/run-builtin.ts reads it. */
const BUILTIN_OPTIONS_ENV = 'OUTLET_BUILTIN_OPTIONS';

const schemas = new Map<string, z.ZodObject>();

/** The strict schema of one built-in's entry: `builtin`, the common server keys, its options. */
export function builtinEntrySchema(spec: BuiltinSpec): z.ZodObject {
  let schema = schemas.get(spec.name);
  if (!schema) {
    const clash = Object.keys(spec.options).filter((key) => (COMMON_KEYS as readonly string[]).includes(key) || key === 'builtin');
    // An option named like a server key would be taken for that key: a mistake in the spec, not in the file.
    if (clash.length > 0) throw new Error(`built-in "${spec.name}": option ${clash.join(', ')} has the name of a server entry key`);
    const common = Object.fromEntries(COMMON_KEYS.map((key) => [key, serverEntryShape[key]]));
    schema = z.strictObject({ builtin: z.literal(spec.name).describe(spec.description), ...common, ...spec.options });
    schemas.set(spec.name, schema);
  }
  return schema;
}

/**
 * Turns each `{ "builtin": "<name>", ...options }` entry under `servers` and `mcpServers` into the
 * stdio entry that runs it: this package's CLI as `outlet builtin <name>`, its options in the
 * environment, and the sandbox its options call for under the entry's own `sandbox` block. A
 * built-in is then an ordinary server: same supervisor, cage, limits, restarts and tracing.
 * Other entries are left as they are; the input is not changed.
 */
export function expandBuiltins(data: unknown, baseDir: string): { value: unknown; issues: ConfigIssue[] } {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { value: data, issues: [] };
  const issues: ConfigIssue[] = [];
  let value = data as Record<string, unknown>;
  for (const mapKey of ['servers', 'mcpServers'] as const) {
    const map = value[mapKey];
    if (typeof map !== 'object' || map === null || Array.isArray(map)) continue;
    let expanded: Record<string, unknown> | undefined;
    for (const [name, entry] of Object.entries(map as Record<string, unknown>)) {
      if (typeof entry !== 'object' || entry === null || !('builtin' in entry)) continue;
      expanded ??= { ...(map as Record<string, unknown>) };
      const result = expandOne(entry as Record<string, unknown>, [mapKey, name], baseDir, gatewayUrlOf(value));
      issues.push(...result.issues);
      if (result.entry) expanded[name] = result.entry;
    }
    if (expanded) value = { ...value, [mapKey]: expanded };
  }
  return { value, issues };
}

/** Where the config's gateway listens (its `listen` block, defaults filled), as a URL a built-in can call. */
function gatewayUrlOf(data: Record<string, unknown>): string {
  const listen = (typeof data.listen === 'object' && data.listen !== null ? data.listen : {}) as { host?: unknown; port?: unknown };
  const host = typeof listen.host === 'string' && listen.host !== '0.0.0.0' && listen.host !== '::' ? listen.host : '127.0.0.1';
  const port = typeof listen.port === 'number' ? listen.port : 3000;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function expandOne(entry: Record<string, unknown>, path: string[], baseDir: string, gatewayUrl: string): { entry?: Record<string, unknown>; issues: ConfigIssue[] } {
  const name = entry.builtin;
  const spec = typeof name === 'string' ? BUILTINS[name] : undefined;
  if (!spec) {
    const hint = typeof name === 'string' ? suggest(name, Object.keys(BUILTINS)) : undefined;
    const known = Object.keys(BUILTINS).map((n) => `"${n}"`).join(', ');
    return { issues: [{ path: formatPath([...path, 'builtin']), message: `no built-in named ${JSON.stringify(name)}${hint ? ` (did you mean "${hint}"?)` : ''}; built-ins: ${known}` }] };
  }
  const schema = builtinEntrySchema(spec);
  const parsed = schema.safeParse(entry, { error: configErrorMap });
  if (!parsed.success) return { issues: fromZodIssues(parsed.error.issues, schema).map((issue) => ({ ...issue, path: within(path, issue.path) })) };
  const options: Record<string, unknown> = {};
  const common: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(parsed.data)) {
    if (key === 'builtin' || v === undefined) continue;
    if ((COMMON_KEYS as readonly string[]).includes(key)) common[key] = v;
    else options[key] = v;
  }
  const resolved = spec.resolve(options as never, baseDir, { url: gatewayUrl });
  const derived = spec.sandbox(resolved);
  const own = (common.sandbox ?? {}) as Record<string, unknown>;
  // Every built-in sees this package (read-only: its own code) and what its options name, not the
  // config's folder (automatic mounts off); the entry's own sandbox block comes last.
  const mounts = uniqueByPath([{ path: outletPackageRoot(), mode: 'ro' }, ...((derived.mounts as Mount[] | undefined) ?? []), ...((own.mounts as Mount[] | undefined) ?? [])]);
  const sandbox = { autoMounts: false, ...derived, ...own, mounts };
  return {
    entry: { ...common, command: process.execPath, args: [OUTLET_BIN, 'builtin', spec.name], env: { [BUILTIN_OPTIONS_ENV]: JSON.stringify(resolved) }, sandbox },
    issues: [],
  };
}

type Mount = { path: string; mode?: string };

/** Mounts without repeats: the later entry for a path wins (an entry's own block over the derived cage). */
function uniqueByPath(mounts: Mount[]): Mount[] {
  const byPath = new Map<string, Mount>();
  for (const mount of mounts) byPath.set(mount.path, mount);
  return [...byPath.values()];
}

/** An issue path inside an entry, written from the file's root. */
function within(prefix: string[], inner: string): string {
  const head = formatPath(prefix);
  if (inner === '(root)') return head;
  return inner.startsWith('[') ? `${head}${inner}` : `${head}.${inner}`;
}
