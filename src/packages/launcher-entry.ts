import { basename } from 'node:path';

/** A server entry that runs a package through a launcher, as Claude Desktop configs do (`npx -y pkg`). */
export interface LauncherEntry {
  /** How the entry was written: `npx`, `bunx`, `pnpm dlx`, `uvx`, `pipx run`. */
  launcher: string;
  ecosystem: 'npm' | 'pypi';
  /** The packages to install, as written (`name`, `name@1.2.3`, `name@^1`, `name@latest`). */
  specs: string[];
  /** The binary to run: named after `-p`, else the first package's default binary (undefined). */
  bin?: string;
  /** The arguments that follow the package (or binary): the server's own. */
  args: string[];
}

/** Options of each launcher that take no value and change nothing once the outlet fetches (`-y`: no prompt). */
const NO_VALUE: Record<string, string[]> = {
  npx: ['-y', '--yes', '-q', '--quiet', '--no-install', '--prefer-offline', '--prefer-online'],
  bunx: ['--bun', '--silent', '-y', '--yes'],
  'pnpm dlx': ['--silent', '-s', '--yes', '-y'],
};
const PACKAGE_FLAGS: Record<string, string[]> = { npx: ['-p', '--package'], bunx: ['-p', '--package'], 'pnpm dlx': ['--package'] };

/**
 * The launcher a server entry runs, with its packages and the server's own arguments; undefined
 * when the command is no launcher (it runs as written). Throws a message for a launcher use the
 * outlet does not fetch for (a shell command, an option it does not know, a Python launcher).
 *
 * @example
 * parseLauncherEntry('npx', ['-y', '@modelcontextprotocol/server-filesystem', '/data']);
 * // { launcher: 'npx', ecosystem: 'npm', specs: ['@modelcontextprotocol/server-filesystem'], args: ['/data'] }
 */
export function parseLauncherEntry(command: string, args: readonly string[]): LauncherEntry | undefined {
  const name = basename(command);
  if (name === 'npx' || name === 'bunx') return readNpmStyle(name, args);
  if (name === 'pnpm' && args[0] === 'dlx') return readNpmStyle('pnpm dlx', args.slice(1));
  if (name === 'uvx' || (name === 'pipx' && args[0] === 'run')) {
    // uv, pipx and PyPI cannot be reached from where this was built and tested: refusing says so
    // plainly, where a fetch step that was never run would fail in ways nobody has seen.
    throw new Error(`"${name === 'uvx' ? 'uvx' : 'pipx run'}" entries are not fetched by the outlet yet (Python packages are not supported); install the tool on the host and give its executable as the command`);
  }
  return undefined;
}

function readNpmStyle(launcher: string, args: readonly string[]): LauncherEntry {
  const specs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return finish(launcher, specs, args.slice(i + 1));
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const [flag, inline] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    if (PACKAGE_FLAGS[launcher]!.includes(flag)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new Error(`${launcher} option ${flag} needs a package`);
      specs.push(value);
      continue;
    }
    if (NO_VALUE[launcher]!.includes(arg)) continue;
    if (arg.startsWith('-')) throw new Error(`${launcher} option "${arg}" is not supported when the outlet fetches the package; remove it or install the package yourself`);
    return finish(launcher, specs, args.slice(i));
  }
  return finish(launcher, specs, []);
}

function finish(launcher: string, specs: string[], rest: readonly string[]): LauncherEntry {
  const [target, ...args] = rest;
  if (target === undefined) throw new Error(`${launcher} names no ${specs.length > 0 ? 'command' : 'package'} to run`);
  // With -p the first positional is a binary of those packages; without, it is the package itself.
  if (specs.length > 0) return { launcher, ecosystem: 'npm', specs, bin: target, args };
  return { launcher, ecosystem: 'npm', specs: [target], args };
}
