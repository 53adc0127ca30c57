import { execFile } from 'node:child_process';
import type { CliResult } from '../helpers/cli.js';
import { OUTLET_BIN, REPO_ROOT } from '../helpers/servers.js';

/** Runs the real `outlet` binary at the default CLI log level (warn), where progress lines are printed. */
export function runOutletLoud(args: string[], timeoutMs = 90_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [OUTLET_BIN, ...args], { cwd: REPO_ROOT, timeout: timeoutMs, env: { ...process.env, OUTLET_LOG_LEVEL: 'warn' } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}
