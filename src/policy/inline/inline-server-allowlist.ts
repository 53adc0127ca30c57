import { basename } from 'node:path';
import type { RpcConfig } from '../../config/rpc-schema.js';
import type { ServerConfig } from '../../config/index.js';
import { normalizePythonName, npmSpecName, pythonSpecName, type SpecName } from './package-spec.js';

/**
 * Decides whether an `/rpc` request may run the server it describes. Every inline server is
 * remote code execution by design; the allowlist keeps it to programs the operator chose:
 * a command on `allowCommands`, and, for a package launcher, only registry packages on
 * `allowPackages` (specs read by package-spec.ts: no file, git, URL or alias specs).
 * Returns the reason for a refusal, or undefined when allowed.
 */
export function inlineServerRefusal(server: ServerConfig, rpc: RpcConfig): string | undefined {
  if (server.transport !== 'stdio') {
    const allowed = rpc.allowUrls.some((prefix) => server.url.startsWith(prefix));
    return allowed ? undefined : `url ${JSON.stringify(server.url)} is not under any rpc.allowUrls prefix`;
  }
  if (!commandAllowed(server.command, rpc.allowCommands)) {
    return `command ${JSON.stringify(server.command)} is not on rpc.allowCommands${rpc.allowCommands.length === 0 ? ' (empty)' : ''}`;
  }
  const launcher = LAUNCHERS[basename(server.command)];
  if (!launcher) return undefined;
  const packages = launcher(server.args);
  if ('refused' in packages) return packages.refused;
  for (const name of packages.names) {
    if (!packageAllowed(name, rpc.allowPackages, packages.python)) return `package ${JSON.stringify(name)} is not on rpc.allowPackages${rpc.allowPackages.length === 0 ? ' (empty)' : ''}`;
  }
  return undefined;
}

/** A bare entry matches only the same bare command (resolved on PATH); a path entry only that path. */
function commandAllowed(command: string, allow: readonly string[]): boolean {
  const bare = !command.includes('/');
  return allow.some((entry) => (entry.includes('/') ? entry === command : bare && entry === command));
}

function packageAllowed(name: string, allow: readonly string[], python: boolean): boolean {
  const norm = (n: string): string => (python ? normalizePythonName(n) : n);
  return allow.some((entry) => (entry.endsWith('/*') ? name.startsWith(entry.slice(0, -1)) : norm(entry) === name));
}

type Packages = { names: string[]; python: boolean } | { refused: string };

/** How one launcher is read: which options name packages, which run a shell, which are harmless. */
interface LauncherRules {
  packageFlags: readonly string[];
  shellFlags: readonly string[];
  /** Options without a value that change nothing about what is fetched or run. */
  quietFlags: readonly string[];
  /** The parser for the package specs it takes. */
  specName: (spec: string) => SpecName;
  python: boolean;
  /** Leading subcommand words (`pipx run`, `pnpm dlx`). */
  skip?: number;
}

/**
 * What a launcher would fetch and run, read from its arguments up to the first positional (the
 * rest belongs to the package). Options are a closed list: any other one may change where code
 * comes from (`--registry`, `--index-url`, `--python`, `--node-options`) or run a shell (`npx -c`),
 * so it is refused rather than guessed at.
 */
function readPackages(args: readonly string[], rules: LauncherRules): Packages {
  const names: string[] = [];
  let runTarget: string | undefined;
  for (let i = rules.skip ?? 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (rules.shellFlags.includes(flag)) return { refused: `launcher option ${flag} runs a shell command; not allowed for inline servers` };
    if (rules.packageFlags.includes(flag)) {
      const value = inline ?? args[++i];
      if (value === undefined) return { refused: `launcher option ${flag} needs a package` };
      const spec = rules.specName(value);
      if ('refused' in spec) return spec;
      names.push(spec.name);
      continue;
    }
    if (arg.startsWith('-')) {
      if (inline === undefined && rules.quietFlags.includes(arg)) continue;
      const known = [...rules.packageFlags, ...rules.quietFlags].join(', ');
      return { refused: `launcher option ${flag} is not allowed for inline servers (allowed: ${known})` };
    }
    runTarget = arg;
    break;
  }
  if (runTarget === undefined) return names.length > 0 ? { refused: 'the launcher names no command to run' } : { refused: 'the launcher names no package to run' };
  const target = rules.specName(runTarget);
  if ('refused' in target) return target;
  // The first positional is a package to fetch, or, after -p/--from, a binary: then it must be one
  // of those packages' own (its unscoped name), or "-p good sh -c ..." would run anything.
  const binaryOfListed = names.some((name) => name === target.name || name.slice(name.lastIndexOf('/') + 1) === target.name);
  if (!binaryOfListed) names.push(target.name);
  return { names, python: rules.python };
}

const npm = { specName: npmSpecName, python: false };
const python = { specName: pythonSpecName, python: true };

const LAUNCHERS: Record<string, (args: readonly string[]) => Packages> = {
  npx: (args) => readPackages(args, { ...npm, packageFlags: ['-p', '--package'], shellFlags: ['-c', '--call'], quietFlags: ['-y', '--yes', '-q', '--quiet', '--silent'] }),
  bunx: (args) => readPackages(args, { ...npm, packageFlags: ['-p', '--package'], shellFlags: [], quietFlags: ['--bun', '--silent'] }),
  uvx: (args) => readPackages(args, { ...python, packageFlags: ['--from', '--with'], shellFlags: [], quietFlags: ['-q', '--quiet', '--isolated', '--offline', '-n', '--no-cache'] }),
  pipx: (args) =>
    args[0] === 'run' ? readPackages(args, { ...python, skip: 1, packageFlags: ['--spec'], shellFlags: [], quietFlags: ['-q', '--quiet', '--no-cache'] }) : { refused: 'pipx is allowed only as "pipx run <package>"' },
  pnpm: (args) =>
    args[0] === 'dlx' ? readPackages(args, { ...npm, skip: 1, packageFlags: ['--package'], shellFlags: ['-c', '--shell-mode'], quietFlags: ['-s', '--silent'] }) : { refused: 'pnpm is allowed only as "pnpm dlx <package>"' },
};
