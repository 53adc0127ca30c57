import { dirname, resolve } from 'node:path';
import { adaptClientEntry } from './client-entry.js';
import { readInputs } from './client-inputs.js';
import { expandClientVariablesIn, workspaceFolderOf } from './client-variables.js';
import { editDistance, suggest } from './did-you-mean.js';
import { gatewayShape } from './gateway-schema.js';
import { formatPath, type ConfigIssue } from './issues.js';
import { SERVER_NAME_PATTERN } from './server-schema.js';

const OUTLET_KEYS = Object.keys(gatewayShape);
const SERVER_MAPS = ['servers', 'mcpServers'] as const;
/** Top-level keys a client file shares with the outlet's: having only these, a file may be a client's. */
const SHARED_KEYS = new Set<string>([...SERVER_MAPS, '$schema']);

export interface ClientFileContext {
  env: NodeJS.ProcessEnv;
  source?: string;
  baseDir?: string;
}

export interface ClientFileResult {
  value: unknown;
  issues: ConfigIssue[];
  warnings: ConfigIssue[];
}

/** A key close enough to one of the outlet's own to be a misspelling of it. */
function nearOutletKey(key: string): boolean {
  const lower = key.toLowerCase();
  return suggest(key, OUTLET_KEYS) !== undefined || OUTLET_KEYS.some((k) => editDistance(lower, k.toLowerCase()) <= 2);
}

/**
 * Accepts the MCP config files of other clients as they are, before the outlet's own schema sees
 * them: Claude Desktop and Cursor (`mcpServers`), VS Code (`servers`, `inputs`, `envFile`, editor
 * variables), Cline, Windsurf and Roo (their entry keys, see `adaptClientEntry`).
 *
 * An unknown top-level key is dropped with a warning only when the file looks like a client's own
 * file, meaning it has a server map and no other key of the outlet's, and the key is no likely
 * misspelling of an outlet key (edit distance of 2 or more from each). Otherwise it stays and the
 * schema refuses it with its did-you-mean, so a typo in an outlet file is never silently ignored.
 */
export function adaptClientFile(raw: unknown, ctx: ClientFileContext): ClientFileResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { value: raw, issues: [], warnings: [] };
  const issues: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const top = raw as Record<string, unknown>;
  const keys = Object.keys(top);
  const { inputs, issues: inputIssues } = readInputs(top.inputs);
  issues.push(...inputIssues);

  const clientShaped = SERVER_MAPS.some((k) => k in top) && !keys.some((k) => OUTLET_KEYS.includes(k) && !SHARED_KEYS.has(k));
  const kept: Record<string, unknown> = {};
  for (const key of keys) {
    if (key === 'inputs') continue;
    if (!OUTLET_KEYS.includes(key) && clientShaped && !nearOutletKey(key)) {
      warnings.push({ path: formatPath([key]), message: 'ignored: not an mcp-outlet setting (a key of the client\'s own file)' });
      continue;
    }
    Object.defineProperty(kept, key, { value: top[key], enumerable: true, writable: true, configurable: true });
  }

  const baseDir = resolve(ctx.baseDir ?? (ctx.source === undefined ? process.cwd() : dirname(ctx.source)));
  const expanded = expandClientVariablesIn(kept, { env: ctx.env, workspaceFolder: workspaceFolderOf(ctx.source && resolve(ctx.source), baseDir), inputs });
  issues.push(...expanded.issues);
  warnings.push(...expanded.warnings);
  const value = expanded.value as Record<string, unknown>;
  for (const mapKey of SERVER_MAPS) {
    if (value[mapKey] === null || typeof value[mapKey] !== 'object' || Array.isArray(value[mapKey])) continue;
    const map = renameRepositoryNames(value[mapKey] as Record<string, unknown>, mapKey, warnings);
    value[mapKey] = map;
    for (const [name, entry] of Object.entries(map)) {
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) continue;
      const r = adaptClientEntry(entry as Record<string, unknown>, { path: [mapKey, name], baseDir });
      issues.push(...r.issues);
      warnings.push(...r.warnings);
    }
  }
  return { value, issues, warnings };
}

/**
 * Cline's marketplace names a server after its repository path
 * (`github.com/modelcontextprotocol/servers/tree/main/src/github`). Server names appear in URLs and
 * tool prefixes, so such a name becomes its last segment (`github`), with a warning, when that
 * segment is a valid name no other entry has; any other invalid name is left for the schema to
 * refuse. Returns a new map in the same order.
 */
function renameRepositoryNames(map: Record<string, unknown>, mapKey: string, warnings: ConfigIssue[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const taken = new Set(Object.keys(map));
  for (const [name, entry] of Object.entries(map)) {
    let key = name;
    const last = name.includes('/') ? name.split('/').filter(Boolean).at(-1) : undefined;
    if (!SERVER_NAME_PATTERN.test(name) && last !== undefined && SERVER_NAME_PATTERN.test(last) && !taken.has(last)) {
      key = last;
      taken.add(last);
      warnings.push({ path: formatPath([mapKey, name]), message: `renamed to "${last}": server names appear in URLs and tool prefixes (letters, digits, "_", "-")` });
    }
    Object.defineProperty(out, key, { value: entry, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
