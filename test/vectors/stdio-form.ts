import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from '../helpers/servers.js';

const ANSWER_TIMEOUT_MS = 45_000;

/**
 * One `outlet stdio` process, run from source as a desktop client would launch it, talking
 * newline-delimited JSON-RPC. Answers are matched to requests by id; anything else the server
 * writes (notifications) is ignored.
 */
export class StdioPeer {
  private readonly waiting = new Map<string, (message: Record<string, unknown>) => void>();
  private stderr = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (this.stderr = (this.stderr + chunk).slice(-4000)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      if ('method' in message) return;
      const key = JSON.stringify(message.id);
      this.waiting.get(key)?.(message);
      this.waiting.delete(key);
    });
  }

  static start(configPath: string): StdioPeer {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'stdio', '--config', configPath], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', OUTLET_LOG_LEVEL: 'silent' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return new StdioPeer(child);
  }

  /** Sends one message; for a request, resolves with its answer, for a notification at once with undefined. */
  send(message: unknown): Promise<Record<string, unknown> | undefined> {
    const id = (message as { id?: unknown } | null)?.id;
    const line = `${JSON.stringify(message)}\n`;
    if (id === undefined) {
      this.child.stdin.write(line);
      return Promise.resolve(undefined);
    }
    return new Promise((resolve, reject) => {
      const key = JSON.stringify(id);
      const timer = setTimeout(() => {
        this.waiting.delete(key);
        reject(new Error(`outlet stdio did not answer id ${key} within ${ANSWER_TIMEOUT_MS} ms; stderr: ${this.stderr}`));
      }, ANSWER_TIMEOUT_MS);
      this.waiting.set(key, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      this.child.stdin.write(line);
    });
  }

  /** Closes stdin, which makes `outlet stdio` stop its upstreams and exit. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    const kill = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(kill);
  }
}
