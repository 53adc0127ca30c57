import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** How the fetch step runs npm: which registry (undefined: the user's npm config) and for how long. */
export interface NpmOptions {
  registry?: string;
  timeoutMs: number;
}

export interface NpmResult {
  /** The JSON npm printed (`--json`), or undefined when it printed none. */
  json: unknown;
  stdout: string;
  /** The last lines of its stderr, for errors that carry no JSON. */
  stderr: string;
}

/** An npm run that failed: npm's own error code (E404, ECONNREFUSED, ETIMEDOUT...) and summary. */
export class NpmError extends Error {
  constructor(
    readonly code: string,
    readonly summary: string,
  ) {
    super(summary);
  }
}

/**
 * The npm that ships with the Node running the gateway (so no PATH lookup can swap it), run with
 * Node itself; `npm` from PATH when that layout is absent.
 */
function npmCommand(): { command: string; prefix: string[] } {
  const cli = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
  return existsSync(cli) ? { command: process.execPath, prefix: [cli] } : { command: 'npm', prefix: [] };
}

/**
 * Runs npm as the gateway user, on the host: it reads the user's .npmrc (registry, auth tokens)
 * and npm cache. None of that reaches a server: this process is not in any sandbox and hands
 * servers only the installed files. A failure rejects with npm's own error code.
 */
export function runNpm(args: string[], options: NpmOptions): Promise<NpmResult> {
  const { command, prefix } = npmCommand();
  const argv = [
    ...prefix,
    ...args,
    '--json',
    '--no-update-notifier',
    // npm's default retries take up to a minute on a refused connection; one quick retry is enough for a start.
    '--fetch-retries=1',
    '--fetch-retry-mintimeout=1000',
    '--fetch-retry-maxtimeout=5000',
    ...(options.registry ? [`--registry=${options.registry}`] : []),
  ];
  return new Promise((resolve, reject) => {
    execFile(command, argv, { timeout: options.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, env: process.env }, (err, stdout, stderr) => {
      const json = parseJson(stdout);
      const tail = stderr.split('\n').filter((l) => l.trim() !== '').slice(-5).join(' | ');
      if (!err) return resolve({ json, stdout, stderr: tail });
      if ((err as { killed?: boolean }).killed) return reject(new NpmError('ETIMEOUT', `npm ${args[0]} took longer than packages.installTimeoutMs (${options.timeoutMs} ms)`));
      const error = (json as { error?: { code?: string; summary?: string } } | undefined)?.error;
      reject(new NpmError(error?.code ?? 'EUNKNOWN', error?.summary ?? (tail || err.message)));
    });
  });
}

/** npm prints one JSON document with --json, sometimes after other output; the last `{`/`[`/`"` line starts it. */
function parseJson(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    const lines = trimmed.split('\n');
    for (let i = lines.length - 1; i >= 0; i--) {
      if (!/^[[{"]/.test(lines[i]!)) continue;
      try {
        return JSON.parse(lines.slice(i).join('\n'));
      } catch {
        // keep looking further up
      }
    }
    return undefined;
  }
}

/** The registry npm uses for this user (the one to name when it cannot be reached). */
export async function effectiveRegistry(options: NpmOptions): Promise<string> {
  if (options.registry) return options.registry;
  try {
    const { stdout } = await runNpm(['config', 'get', 'registry'], options);
    if (/^https?:\/\//.test(stdout.trim())) return stdout.trim();
  } catch {
    // fall through to npm's default
  }
  return process.env.npm_config_registry ?? 'https://registry.npmjs.org/';
}
