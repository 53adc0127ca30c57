import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { escapeInterpolation } from './interpolate.js';
import { formatPath, type ConfigIssue, type PathSegment } from './issues.js';

/** Keys of other clients' entries that have no meaning in a gateway: dropped with a warning saying why. */
const IGNORED_ENTRY_KEYS: Record<string, string> = {
  autoApprove: 'ignored: the outlet does not ask before each call, so there is nothing to auto-approve (limit tools with "tools" or policies)',
  alwaysAllow: 'ignored: the outlet does not ask before each call, so there is nothing to auto-approve (limit tools with "tools" or policies)',
  watchPaths: 'ignored: the outlet restarts a server when its config entry changes, not when files change',
  dev: 'ignored: VS Code\'s development mode (watch and debug) has no counterpart in the outlet',
  gallery: 'ignored: VS Code\'s gallery metadata',
};

/** Transport names other clients write, in the outlet's spelling. */
const TRANSPORT_SPELLING: Record<string, string> = { streamableHttp: 'streamable-http', 'streamable_http': 'streamable-http' };

export interface EntryContext {
  path: PathSegment[];
  /** Directory a relative `envFile` is read from: the config file's. */
  baseDir: string;
}


/** Moves `from` to `to` unless both are present and disagree. */
function rename(entry: Record<string, unknown>, from: string, to: string, at: (k: string) => string, issues: ConfigIssue[], map: (v: unknown) => unknown = (v) => v): void {
  if (!(from in entry)) return;
  const value = map(entry[from]);
  delete entry[from];
  if (to in entry && entry[to] !== value) issues.push({ path: at(from), message: `conflicts with "${to}" (${JSON.stringify(entry[to])}); keep one of the two` });
  else entry[to] = value;
}

/**
 * Rewrites one server entry written for another client into the outlet's keys, in place:
 * Cline/Windsurf/Roo `disabled` -> `enabled`, `serverUrl` -> `url`, `transportType` -> `type`
 * (with `streamableHttp` spelled `streamable-http`), `timeout` in seconds -> `timeoutMs`,
 * `disabledTools` -> `tools.exclude`; VS Code/Cursor `envFile` read into `env` (`env` wins, as in
 * VS Code); approval lists and editor-only keys dropped with a warning. Anything else is left for
 * the schema to accept or refuse.
 */
export function adaptClientEntry(entry: Record<string, unknown>, ctx: EntryContext): { issues: ConfigIssue[]; warnings: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const at = (key: string): string => formatPath([...ctx.path, key]);

  for (const [key, why] of Object.entries(IGNORED_ENTRY_KEYS)) {
    if (!(key in entry)) continue;
    delete entry[key];
    warnings.push({ path: at(key), message: why });
  }
  if ('disabled' in entry && typeof entry.disabled !== 'boolean') issues.push({ path: at('disabled'), message: 'expected boolean' });
  else rename(entry, 'disabled', 'enabled', at, issues, (v) => !v);
  rename(entry, 'serverUrl', 'url', at, issues);
  rename(entry, 'transportType', 'type', at, issues);
  if (typeof entry.type === 'string') entry.type = TRANSPORT_SPELLING[entry.type] ?? entry.type;
  if ('timeout' in entry) {
    if (typeof entry.timeout !== 'number' || !(entry.timeout > 0)) issues.push({ path: at('timeout'), message: 'expected a positive number of seconds (Cline and Roo\'s "timeout")' });
    else rename(entry, 'timeout', 'timeoutMs', at, issues, (s) => Math.round((s as number) * 1000));
  }
  if ('disabledTools' in entry) {
    const names = entry.disabledTools;
    delete entry.disabledTools;
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) issues.push({ path: at('disabledTools'), message: 'expected an array of tool names' });
    else {
      const tools = (entry.tools ??= {}) as Record<string, unknown>;
      tools.exclude = [...(Array.isArray(tools.exclude) ? tools.exclude : []), ...(names as string[])];
    }
  }
  if ('envFile' in entry) readEnvFile(entry, ctx, at('envFile'), issues);
  return { issues, warnings };
}

/** VS Code's `envFile`: a dotenv file relative to the config file's directory, merged under `env`. */
function readEnvFile(entry: Record<string, unknown>, ctx: EntryContext, where: string, issues: ConfigIssue[]): void {
  const file = entry.envFile;
  delete entry.envFile;
  if (typeof file !== 'string' || file === '') {
    issues.push({ path: where, message: 'expected the path of an env file' });
    return;
  }
  const path = resolve(ctx.baseDir, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    issues.push({ path: where, message: `cannot read env file ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` });
    return;
  }
  const fromFile = Object.fromEntries(Object.entries(parseEnv(text)).map(([k, v]) => [k, escapeInterpolation(v ?? '')]));
  if (entry.env === undefined) entry.env = fromFile;
  // An `env` that is not an object is left for the schema to report.
  else if (entry.env !== null && typeof entry.env === 'object' && !Array.isArray(entry.env)) entry.env = { ...fromFile, ...(entry.env as Record<string, unknown>) };
}
