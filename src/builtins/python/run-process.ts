import { spawn } from 'node:child_process';

export interface ProcessOutcome {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Bytes of stdout and stderr dropped past the cap. */
  droppedBytes: number;
}

/**
 * Runs a program with an argv (never a shell), its own process group killed at the deadline or
 * when `signal` aborts, stdout and stderr each kept up to `maxBytes`.
 */
export function runProcess(command: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd: string; timeoutMs: number; maxBytes: number; signal: AbortSignal; stdin?: string }): Promise<ProcessOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, cwd: options.cwd, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = { stdout: [] as Buffer[], stderr: [] as Buffer[], kept: { stdout: 0, stderr: 0 }, dropped: 0 };
    const take = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const room = options.maxBytes - out.kept[stream];
      if (room <= 0) return void (out.dropped += chunk.length);
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      out[stream].push(part);
      out.kept[stream] += part.length;
      out.dropped += chunk.length - part.length;
    };
    child.stdout.on('data', take('stdout'));
    child.stderr.on('data', take('stderr'));
    let timedOut = false;
    const kill = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    const onAbort = () => kill();
    options.signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      resolve({ exitCode, signal, stdout: Buffer.concat(out.stdout).toString('utf8'), stderr: Buffer.concat(out.stderr).toString('utf8'), timedOut, droppedBytes: out.dropped });
    });
    child.stdin.end(options.stdin ?? '');
  });
}
