import * as z from 'zod';
import { defineServer, defineTool, type ServerDefinition } from '../define.js';
import { insideRoots, realRoots } from '../roots.js';
import { runCapped } from '../run-capped.js';
import { checkArgs, checkCommand, UNSAFE_TEST_ENV, whichCommand } from './command-check.js';

export interface ShellServerOptions {
  allowCommands: string[];
  denyCommands?: string[];
  roots: string[];
  commandTimeoutMs?: number;
  maxOutputBytes?: number;
}

const outcome = z.object({ exitCode: z.number().nullable(), signal: z.string().nullable(), stdout: z.string(), stderr: z.string(), timedOut: z.boolean(), truncated: z.boolean() });

/** The `shell` built-in: execute_command and check_command_exists over an allowlist. */
export function shellServer(options: ShellServerOptions): ServerDefinition {
  const roots = realRoots(options.roots);
  const rules = { allow: options.allowCommands, deny: options.denyCommands ?? [] };
  const limit = options.commandTimeoutMs ?? 30_000;
  const unsafe = process.env[UNSAFE_TEST_ENV] === '1';
  return defineServer({
    name: 'outlet-shell',
    tools: [
      defineTool({
        name: 'execute_command',
        description: `Runs one allowed command (${rules.allow.join(', ')}) with its arguments as an array; no shell (no pipes, globs or redirections). Returns the exit code, stdout and stderr.`,
        input: z.object({
          command: z.string().min(1).describe('A bare command name from the allowlist, e.g. "ls"'),
          args: z.array(z.string().max(10_000)).max(1000).default([]).describe('Each argument as its own string, e.g. ["-l", "src"]'),
          cwd: z.string().optional().describe('Working folder, inside the roots. Default: the first root'),
          timeoutMs: z.int().positive().max(limit).optional().describe(`Time limit in ms (at most ${limit})`),
        }),
        output: outcome,
        annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
        run: async ({ command, args, cwd, timeoutMs }, { signal }) => {
          const dir = insideRoots(cwd ?? roots[0]!, roots, roots[0]!, 'cwd');
          const file = unsafe ? (whichCommand(command) ?? command) : checkCommand(command, rules);
          if (!unsafe) checkArgs(args, roots, dir);
          const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? dir, LANG: 'C.UTF-8' };
          const run = await runCapped(file, args, { cwd: dir, env, timeoutMs: timeoutMs ?? limit, maxOutputBytes: options.maxOutputBytes ?? 256 * 1024, signal });
          return run;
        },
      }),
      defineTool({
        name: 'check_command_exists',
        description: 'Whether a command may be run here: on the allowlist, not denied, and found on PATH.',
        input: z.object({ command: z.string().min(1).describe('A bare command name') }),
        output: z.object({ command: z.string(), allowed: z.boolean(), exists: z.boolean(), reason: z.string().optional() }),
        annotations: { readOnlyHint: true, openWorldHint: false },
        run: ({ command }) => {
          try {
            checkCommand(command, rules);
            return { command, allowed: true, exists: true };
          } catch (err) {
            const bare = /^[A-Za-z0-9._+-]+$/.test(command);
            return { command, allowed: false, exists: bare && whichCommand(command) !== undefined, reason: (err as Error).message };
          }
        },
      }),
    ],
  });
}
