import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface RunningFixture {
  /** The Streamable HTTP endpoint, e.g. http://127.0.0.1:41234/mcp. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Starts the conformance fixture over HTTP on a free port in its own process
 * and resolves once it has printed `listening <port>`. A separate process (not
 * in-test) so the server's event loop and the test's never block each other,
 * and so the same entry point the gateway will spawn is the one under test.
 */
export async function startHttpFixture(timeoutMs = 20_000): Promise<RunningFixture> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/conformance/main.ts', 'http', '--port', '0'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`fixture did not start in ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    child.once('exit', (code) => reject(new Error(`fixture exited with ${code} before listening: ${stderr}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^listening (\d+)$/.exec(line);
      if (!match) return;
      clearTimeout(timer);
      resolve(Number(match[1]));
    });
  });

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  };
  return { url: `http://127.0.0.1:${port}/mcp`, port, stop };
}
