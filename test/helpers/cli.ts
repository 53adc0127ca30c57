import { execFile } from 'node:child_process';
import { OUTLET_BIN, REPO_ROOT } from './servers.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `outlet` binary (as a user would) and collects its exit code and output. */
export function runOutlet(args: string[], options: { timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [OUTLET_BIN, ...args],
      { cwd: REPO_ROOT, timeout: options.timeoutMs ?? 60_000, env: { ...process.env, OUTLET_LOG_LEVEL: 'silent' } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
