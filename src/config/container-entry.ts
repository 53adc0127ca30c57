import { basename } from 'node:path';
import { GLOBAL_BOOLEAN, RUN_ALIAS, RUN_BOOLEAN, RUN_SHORT } from './container-flags.js';

export type ContainerEngine = 'docker' | 'podman';

/** One `run` option as written: its long name and its value (`"true"` for a bare boolean). */
export interface ContainerOption {
  name: string;
  value: string;
}

/** A `docker run ...` / `podman run ...` entry, split where the outlet needs to act on it. */
export interface ContainerEntry {
  engine: ContainerEngine;
  /** Options before `run` (`--remote`, `--url ...`, `--runtime ...`): kept for the engine probe too. */
  globals: string[];
  /** The words naming the subcommand: `['run']` or `['container', 'run']`. */
  subcommand: string[];
  options: ContainerOption[];
  /** The option words exactly as written (without a closing `--`), to be passed on unchanged. */
  optionArgs: string[];
  /** Absent when the entry names no image (a config error). */
  image?: string;
  /** The container's own command and arguments, after the image. */
  rest: string[];
}

/**
 * Recognises a stdio entry that starts its server in a container, as the Docker MCP catalog writes
 * them (`{"command": "docker", "args": ["run", "-i", "--rm", "mcp/fetch"]}`); anything else,
 * including other engine subcommands, is not one.
 *
 * @example
 * parseContainerEntry('podman', ['run', '-i', '--rm', '-e', 'TOKEN', 'mcp/github']);
 * // { engine: 'podman', globals: [], subcommand: ['run'], options: [{ name: '--interactive', ... }, ...], image: 'mcp/github', rest: [] }
 */
export function parseContainerEntry(command: string, args: readonly string[]): ContainerEntry | undefined {
  const engine = basename(command);
  if (engine !== 'docker' && engine !== 'podman') return undefined;
  let i = 0;
  const globals: string[] = [];
  while (i < args.length && args[i]!.startsWith('-')) {
    const token = args[i++]!;
    globals.push(token);
    if (!token.includes('=') && !GLOBAL_BOOLEAN.has(token) && i < args.length) globals.push(args[i++]!);
  }
  const subcommand = args[i] === 'run' ? ['run'] : args[i] === 'container' && args[i + 1] === 'run' ? ['container', 'run'] : undefined;
  if (!subcommand) return undefined;
  i += subcommand.length;
  const start = i;
  let end = args.length;
  const options: ContainerOption[] = [];
  while (i < args.length) {
    const token = args[i]!;
    if (token === '--') {
      end = i++;
      break;
    }
    if (!token.startsWith('-') || token === '-') {
      end = i;
      break;
    }
    i++;
    if (token.startsWith('--')) {
      const eq = token.indexOf('=');
      const raw = eq === -1 ? token : token.slice(0, eq);
      const name = RUN_ALIAS[raw] ?? raw;
      if (eq !== -1) options.push({ name, value: token.slice(eq + 1) });
      else if (RUN_BOOLEAN.has(name)) options.push({ name, value: 'true' });
      else options.push({ name, value: args[i++] ?? '' });
      continue;
    }
    i = readShortCluster(token, args, i, options);
  }
  const image = args[i];
  const optionArgs = args.slice(start, Math.min(end, i));
  return { engine, globals, subcommand, options, optionArgs, ...(image !== undefined ? { image } : {}), rest: args.slice(i + 1) };
}

/** `-it`, `-e NAME`, `-eNAME`: booleans until the first letter that takes a value, which ends the cluster. */
function readShortCluster(token: string, args: readonly string[], next: number, options: ContainerOption[]): number {
  const letters = token.slice(1);
  for (let k = 0; k < letters.length; k++) {
    const name = RUN_SHORT[letters[k]!] ?? `-${letters[k]}`;
    if (RUN_BOOLEAN.has(name)) {
      options.push({ name, value: 'true' });
      continue;
    }
    const inline = letters.slice(k + 1).replace(/^=/, '');
    const value = inline !== '' ? inline : (args[next++] ?? '');
    options.push({ name, value });
    break;
  }
  return next;
}

/** Whether a boolean option is on: a bare `--rm`, or `--rm=true`. */
export function isOn(option: ContainerOption): boolean {
  return option.value !== 'false';
}
