import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import { LineFramer } from './line-framer.js';

/** What to run; the sandbox layer may rewrite it before spawn (wrapping in bwrap, changing uid). */
export interface SpawnSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  uid?: number;
  gid?: number;
}

export interface StdioTransportOptions {
  spec: SpawnSpec;
  /** Console output: stderr lines, and stdout lines that are not JSON-RPC. */
  onConsole?: (stream: 'stderr' | 'stdout', line: string) => void;
  /** Called once with the exit code/signal when the process ends. */
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
  maxLineBytes?: number;
  /** Grace period between SIGTERM and SIGKILL on close. */
  killGraceMs?: number;
}

/**
 * A client transport that runs an MCP server as a child process and speaks newline-delimited
 * JSON-RPC over its stdin/stdout. Unlike the SDK's own, it owns the spawn: the child leads its own
 * process group (so stop kills the whole tree), stderr is captured line by line, and the spec can be
 * rewritten by the sandbox. The `pid` and `stderr` members make the SDK treat it as stdio-shaped
 * during version negotiation (a silent probe means a legacy server, not an outage).
 */
export class StdioClientProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;

  private child?: ChildProcess;
  private closed = false;
  private exited = false;
  private readonly framer: LineFramer;

  constructor(private readonly options: StdioTransportOptions) {
    this.framer = new LineFramer(options.maxLineBytes ?? 16 * 1024 * 1024);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get stderr(): Readable | null {
    return this.child?.stderr ?? null;
  }

  start(): Promise<void> {
    if (this.child) throw new Error('StdioClientProcessTransport already started');
    const { spec } = this.options;
    return new Promise((resolve, reject) => {
      const child = spawn(spec.command, spec.args, {
        cwd: spec.cwd,
        env: spec.env,
        shell: false,
        detached: true, // own process group: stop() signals -pid and reaches grandchildren
        stdio: ['pipe', 'pipe', 'pipe'],
        windowsHide: true,
        ...(spec.uid !== undefined ? { uid: spec.uid } : {}),
        ...(spec.gid !== undefined ? { gid: spec.gid } : {}),
      });
      this.child = child;
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => this.onStdout(chunk));
      const stderrFramer = new LineFramer(64 * 1024);
      child.stderr.on('data', (chunk: string) => {
        for (const line of stderrFramer.push(chunk)) {
          const text = line.text ?? JSON.stringify(line.message);
          this.options.onConsole?.('stderr', text);
        }
      });
      child.stdin.on('error', (err) => this.onerror?.(err));
      child.once('spawn', () => resolve());
      child.once('error', (err) => {
        if (!child.pid) reject(new Error(`cannot start "${spec.command}": ${err.message}`, { cause: err }));
        else this.onerror?.(err);
      });
      child.once('close', (code, signal) => {
        this.exited = true;
        this.options.onExit?.(code, signal);
        this.finish();
      });
    });
  }

  private onStdout(chunk: string): void {
    for (const line of this.framer.push(chunk)) {
      if (line.message) this.onmessage?.(line.message as JSONRPCMessage);
      else if (line.text !== undefined) this.options.onConsole?.('stdout', line.text);
    }
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || this.closed || stdin.destroyed) return Promise.reject(new Error('upstream process is not running'));
    return new Promise((resolve, reject) => {
      const ok = stdin.write(JSON.stringify(message) + '\n', (err) => (err ? reject(err) : undefined));
      if (ok) resolve();
      else stdin.once('drain', () => resolve());
    });
  }

  /** Ends stdin, then SIGTERM to the process group, then SIGKILL after the grace period. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const child = this.child;
    if (!child || this.exited) {
      this.finish();
      return;
    }
    child.stdin?.end();
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    signalGroup(child, 'SIGTERM');
    const grace = this.options.killGraceMs ?? 2000;
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), grace);
    timer.unref();
    await exited;
    clearTimeout(timer);
  }

  /** Kills the whole process group at once (used when a server must die now, not drain). */
  kill(): void {
    if (this.child && !this.exited) signalGroup(this.child, 'SIGKILL');
  }

  private finished = false;
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.closed = true;
    this.onclose?.();
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}
