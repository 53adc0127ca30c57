import { spawn } from 'node:child_process';

export interface CappedRun {
  exitCode: number | null;
  /** The signal that ended the process (SIGKILL after the time limit). */
  signal: string | null;
  stdout: string;
  stderr: string;
  /** The time limit was reached and the process group killed. */
  timedOut: boolean;
  /** Output went past the cap; the text ends with a marker line. */
  truncated: boolean;
}

export interface CappedRunOptions {
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  /** Bytes kept per stream; the process group is killed once a stream overflows (nobody reads the rest). */
  maxOutputBytes: number;
  signal?: AbortSignal;
}

/**
 * Runs `file` with `args` as an argv array (never through a shell), in its own process group so
 * that the time limit, an output flood or a cancelled call kills everything it started.
 */
export function runCapped(file: string, args: readonly string[], options: CappedRunOptions): Promise<CappedRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true, shell: false });
    const streams = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    const sizes = { stdout: 0, stderr: 0 };
    let truncated = false;
    let timedOut = false;
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const collect = (name: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const room = options.maxOutputBytes - sizes[name];
      if (room > 0) streams[name].push(chunk.subarray(0, room));
      sizes[name] += chunk.length;
      if (sizes[name] > options.maxOutputBytes && !truncated) {
        truncated = true;
        killGroup();
      }
    };
    child.stdout.on('data', collect('stdout'));
    child.stderr.on('data', collect('stderr'));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    const onAbort = () => killGroup();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      const text = (name: 'stdout' | 'stderr') => {
        const body = Buffer.concat(streams[name]).toString('utf8');
        return sizes[name] > options.maxOutputBytes ? `${body}\n[... output cut at ${options.maxOutputBytes} bytes of ${name}]` : body;
      };
      resolvePromise({ exitCode: code, signal, stdout: text('stdout'), stderr: text('stderr'), timedOut, truncated });
    });
  });
}
