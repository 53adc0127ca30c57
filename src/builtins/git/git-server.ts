import { defineServer, type ServerDefinition } from '../define.js';
import { realRoots } from '../roots.js';
import { gitCommitTool } from './git-commit-tool.js';
import { gitReadTools } from './git-read-tools.js';

export interface GitServerOptions {
  roots: string[];
  allowCommit?: boolean;
  maxOutputBytes?: number;
  maxLogCount?: number;
  commandTimeoutMs?: number;
  author?: { name: string; email: string };
}

/** The `git` built-in: read tools always, git_commit only when the config allows commits. */
export function gitServer(options: GitServerOptions): ServerDefinition {
  if (!Array.isArray(options.roots) || options.roots.length === 0) throw new Error('git: roots must name at least one folder');
  const o = {
    roots: realRoots(options.roots),
    maxOutputBytes: options.maxOutputBytes ?? 256 * 1024,
    maxLogCount: options.maxLogCount ?? 200,
    timeoutMs: options.commandTimeoutMs ?? 30_000,
    ...(options.author ? { author: options.author } : {}),
  };
  return defineServer({ name: 'outlet-git', tools: [...gitReadTools(o), ...(options.allowCommit === true ? [gitCommitTool(o)] : [])] });
}
