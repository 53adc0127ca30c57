import { homedir } from 'node:os';
import { basename, dirname, sep } from 'node:path';
import { resolveInput, type ClientInput } from './client-inputs.js';
import { escapeInterpolation } from './interpolate.js';
import { formatPath, type ConfigIssue, type PathSegment } from './issues.js';

/** What the editor variables of a pasted client file stand for here. */
export interface ClientVariableContext {
  env: NodeJS.ProcessEnv;
  /** The folder `${workspaceFolder}` names. */
  workspaceFolder: string;
  inputs: Map<string, ClientInput>;
}

/**
 * `${workspaceFolder}` of a config file, as VS Code and Cursor would see it when the file is their
 * workspace's `mcp.json`: the folder that holds `.vscode/` (or `.cursor/`), else the file's folder.
 */
export function workspaceFolderOf(source: string | undefined, baseDir: string): string {
  if (source === undefined) return baseDir;
  const folder = dirname(source);
  return basename(folder) === '.vscode' || basename(folder) === '.cursor' ? dirname(folder) : folder;
}

// `${name}` or `${kind:arg}`, but not `${NAME:-default}` (the outlet's own syntax, left for later).
const CLIENT_VARIABLE = /^(workspaceFolder|workspaceFolderBasename|userHome|pathSeparator|\/)$|^([A-Za-z]+):(?!-)(.+)$/;


/**
 * Expands the editor variables VS Code, Cursor and Cline files use, in one string:
 * `${workspaceFolder}`, `${workspaceFolderBasename}`, `${userHome}`, `${pathSeparator}`, `${/}`,
 * `${env:VAR}` (empty when unset, as in VS Code, with a warning) and `${input:id}`. Every other
 * `${...}` is left for the outlet's own `${VAR}` / `${VAR:-default}` pass, and `$${` stays an escape.
 */
export function expandClientVariables(input: string, ctx: ClientVariableContext, path: PathSegment[]): { value: string; issues: ConfigIssue[]; warnings: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  let out = '';
  let i = 0;
  while (i < input.length) {
    if (input.startsWith('$${', i)) {
      out += '$${';
      i += 3;
      continue;
    }
    const close = input.startsWith('${', i) ? input.indexOf('}', i + 2) : -1;
    const match = close < 0 ? null : CLIENT_VARIABLE.exec(input.slice(i + 2, close));
    if (match === null) {
      out += input[i];
      i += 1;
      continue;
    }
    const [, plain, kind, arg = ''] = match;
    if (plain === 'workspaceFolder') out += escapeInterpolation(ctx.workspaceFolder);
    else if (plain === 'workspaceFolderBasename') out += escapeInterpolation(basename(ctx.workspaceFolder));
    else if (plain === 'userHome') out += escapeInterpolation(homedir());
    else if (plain !== undefined) out += sep;
    else if (kind === 'env') {
      const value = ctx.env[arg];
      if (value === undefined) warnings.push({ path: formatPath(path), message: `environment variable "${arg}" is not set; \${env:${arg}} is empty (as in VS Code)` });
      out += escapeInterpolation(value ?? '');
    } else if (kind === 'input') {
      const resolved = resolveInput(arg, ctx.inputs, ctx.env, path);
      if ('error' in resolved) issues.push({ path: formatPath(path), message: resolved.error });
      else out += escapeInterpolation(resolved.value);
    } else {
      issues.push({ path: formatPath(path), message: `\${${kind}:${arg}} is an editor variable the outlet cannot resolve (supported: env, input, workspaceFolder, userHome)` });
    }
    i = close + 1;
  }
  return { value: out, issues, warnings };
}

/** {@link expandClientVariables} over every string value of a tree (keys untouched), returning a copy. */
export function expandClientVariablesIn(tree: unknown, ctx: ClientVariableContext): { value: unknown; issues: ConfigIssue[]; warnings: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const visit = (node: unknown, path: PathSegment[]): unknown => {
    if (typeof node === 'string') {
      const r = expandClientVariables(node, ctx, path);
      issues.push(...r.issues);
      warnings.push(...r.warnings);
      return r.value;
    }
    if (Array.isArray(node)) return node.map((item, index) => visit(item, [...path, index]));
    if (node !== null && typeof node === 'object') {
      const copy: Record<string, unknown> = {};
      // defineProperty, not assignment: a "__proto__" key must stay a key (and be rejected later).
      for (const [key, child] of Object.entries(node)) Object.defineProperty(copy, key, { value: visit(child, [...path, key]), enumerable: true, writable: true, configurable: true });
      return copy;
    }
    return node;
  };
  return { value: visit(tree, []), issues, warnings };
}
