import { resolve } from 'node:path';
import * as z from 'zod';
import { builtinSpec } from './builtin-spec.js';

const commandName = z.string().regex(/^[A-Za-z0-9_+][A-Za-z0-9._+-]*$/, { error: 'expected a bare command name (no path, no spaces)' });

/**
 * `shell`: runs allowlisted programs (argv, never a shell) with the roots as the only folders the
 * cage shows, read-only unless `writable`; no network.
 */
export const shellBuiltin = builtinSpec({
  name: 'shell',
  description: 'Runs allowlisted commands with argument arrays (never a shell) inside the configured roots; read-only unless writable. No network.',
  options: {
    allowCommands: z.array(commandName).min(1).describe('The commands a call may run, as bare names found on PATH inside the sandbox (e.g. ["ls", "cat", "grep"]).'),
    denyCommands: z.array(commandName).default([]).describe('Commands refused even when allowed. Default: none.'),
    roots: z.array(z.string().min(1)).min(1).describe('The folders commands work in (relative paths are resolved against the config file\'s folder); the first is the default cwd.'),
    writable: z.boolean().default(false).describe('Mount the roots writable. Default: false (read-only).'),
    commandTimeoutMs: z.int().positive().max(3_600_000).default(30_000).describe('Longest a command may run before its process group is killed; a call may ask for less. Default: 30000.'),
    maxOutputBytes: z.int().positive().max(16 * 1024 * 1024).default(256 * 1024).describe('Bytes kept of stdout and of stderr each; past that the command is stopped and the output cut with a marker. Default: 262144.'),
  },
  resolve: (options, baseDir) => ({ ...options, roots: options.roots.map((root) => resolve(baseDir, root)) }),
  sandbox: (resolved) => ({
    network: 'none',
    mounts: (resolved.roots as string[]).map((path) => ({ path, mode: resolved.writable === true ? ('rw' as const) : ('ro' as const) })),
  }),
});
