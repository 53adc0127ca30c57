import { basename } from 'node:path';
import type { RpcConfig } from '../config/rpc-schema.js';
import type { ServerConfig } from '../config/index.js';

/**
 * Decides whether an `/rpc` request may run the server it describes. Every inline server is
 * remote code execution by design; the allowlist keeps it to programs the operator chose:
 * a command on `allowCommands`, and, for a package launcher, only packages on `allowPackages`.
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
    if (!packageAllowed(name, rpc.allowPackages)) return `package ${JSON.stringify(name)} is not on rpc.allowPackages${rpc.allowPackages.length === 0 ? ' (empty)' : ''}`;
  }
  return undefined;
}

/** A bare entry matches only the same bare command (resolved on PATH); a path entry only that path. */
function commandAllowed(command: string, allow: readonly string[]): boolean {
  const bare = !command.includes('/');
  return allow.some((entry) => (entry.includes('/') ? entry === command : bare && entry === command));
}

function packageAllowed(name: string, allow: readonly string[]): boolean {
  return allow.some((entry) => (entry.endsWith('/*') ? name.startsWith(entry.slice(0, -1)) : entry === name));
}

/** `pkg@1.2.3` -> `pkg`, `@scope/pkg@^2` -> `@scope/pkg`, `pkg==1.0` (Python) -> `pkg`. */
function withoutVersion(spec: string): string {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  const npm = at > 0 ? spec.slice(0, at) : spec;
  return npm.split(/[=<>~!]=?|\[/)[0]!;
}

type Packages = { names: string[] } | { refused: string };

/**
 * What a launcher would fetch and run, read from its arguments. Options that run arbitrary shell
 * code (`npx -c`) are refused; anything not understood is refused rather than guessed at.
 */
function readPackages(args: readonly string[], packageFlags: readonly string[], shellFlags: readonly string[], skip = 0): Packages {
  const names: string[] = [];
  let runTarget: string | undefined;
  for (let i = skip; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (shellFlags.includes(flag)) return { refused: `launcher option ${flag} runs a shell command; not allowed for inline servers` };
    if (packageFlags.includes(flag)) {
      const value = inline ?? args[++i];
      if (value === undefined) return { refused: `launcher option ${flag} needs a package` };
      names.push(withoutVersion(value));
      continue;
    }
    if (arg.startsWith('-')) continue;
    runTarget = arg;
    break;
  }
  if (runTarget === undefined) return names.length > 0 ? { refused: 'the launcher names no command to run' } : { refused: 'the launcher names no package to run' };
  // The first positional is a package to fetch, or, after -p/--from, a binary: then it must be one
  // of those packages' own (its unscoped name), or "-p good sh -c ..." would run anything.
  const target = withoutVersion(runTarget);
  const binaryOfListed = names.some((name) => name === target || name.slice(name.lastIndexOf('/') + 1) === target);
  if (!binaryOfListed) names.push(target);
  return { names };
}

const LAUNCHERS: Record<string, (args: readonly string[]) => Packages> = {
  npx: (args) => readPackages(args, ['-p', '--package'], ['-c', '--call']),
  bunx: (args) => readPackages(args, ['-p', '--package'], []),
  uvx: (args) => readPackages(args, ['--from', '--with'], []),
  pipx: (args) => (args[0] === 'run' ? readPackages(args, ['--spec'], [], 1) : { refused: 'pipx is allowed only as "pipx run <package>"' }),
  pnpm: (args) => (args[0] === 'dlx' ? readPackages(args, ['--package'], ['-c', '--shell-mode'], 1) : { refused: 'pnpm is allowed only as "pnpm dlx <package>"' }),
};
