// A lean stdio JSON-RPC client for configuration a: spawns the server, writes newline-delimited
// JSON on its stdin and matches answers by id. The child is the measured process.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { LeanSession } from './workload.js';

const REQUEST_TIMEOUT_MS = 15_000;

interface Pending {
  text: string | undefined;
  resolve: (msg: Answer) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

interface Answer {
  id?: number;
  result?: { content?: { text?: string }[]; protocolVersion?: string; isError?: boolean };
  error?: { code: number; message: string };
}

export class LeanStdioSession implements LeanSession {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private stderrTail = '';
  private readonly callPrefix: string;

  private constructor(
    readonly child: ChildProcess,
    toolName: string,
  ) {
    this.callPrefix = `{"jsonrpc":"2.0","method":"tools/call","params":{"name":${JSON.stringify(toolName)},"arguments":{"text":`;
    createInterface({ input: child.stdout! }).on('line', (line) => this.onLine(line));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => (this.stderrTail = (this.stderrTail + chunk).slice(-2000)));
    child.once('exit', (code, signal) => {
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error(`server exited (${code ?? signal}): ${this.stderrTail}`));
      }
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  static async open(command: string, args: string[], cwd: string, toolName: string): Promise<LeanStdioSession> {
    const child = spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const session = new LeanStdioSession(child, toolName);
    try {
      const init = await session.request(
        `{"jsonrpc":"2.0","method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"outlet-bench","version":"1.0.0"}},"id":`,
        undefined,
      );
      if (init.error) throw new Error(`initialize: ${init.error.message}`);
      child.stdin!.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
      return session;
    } catch (err) {
      await session.close();
      throw err;
    }
  }

  private onLine(line: string): void {
    if (!line.startsWith('{')) return;
    let msg: Answer;
    try {
      msg = JSON.parse(line) as Answer;
    } catch {
      return;
    }
    if (typeof msg.id !== 'number') return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.error) return p.reject(new Error(`JSON-RPC error ${msg.error.code}: ${msg.error.message}`));
    if (p.text !== undefined && (msg.result?.content?.[0]?.text !== p.text || msg.result?.isError)) {
      return p.reject(new Error(`unexpected echo: ${line.slice(0, 200)}`));
    }
    p.resolve(msg);
  }

  private request(prefix: string, text: string | undefined): Promise<Answer> {
    const id = this.nextId++;
    return new Promise<Answer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`request ${id}: no answer in ${REQUEST_TIMEOUT_MS} ms`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { text, resolve, reject, timer });
      this.child.stdin!.write(`${prefix}${id}}\n`);
    });
  }

  async call(text: string): Promise<void> {
    await this.request(`${this.callPrefix}${JSON.stringify(text)}}},"id":`, text);
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 2000);
    this.child.kill('SIGTERM');
    await exited;
    clearTimeout(timer);
  }
}
