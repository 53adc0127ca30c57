import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import { ConsoleGate } from '../sandbox/output-rate.js';
import { signalGroup, spawnFailedEarly, spawnGroupLeader, whenGone } from '../sandbox/process-group.js';
import type { SpawnSpec } from '../sandbox/spawn-spec.js';
import { LineFramer } from './line-framer.js';
import { UnansweredRequests } from './unanswered-requests.js';

export interface StdioTransportOptions {
  spec: SpawnSpec;
  /** Console output: stderr lines, and stdout lines that are not JSON-RPC. */
  onConsole?: (stream: 'stderr' | 'stdout', line: string) => void;
  /**
   * Called once with the exit code/signal when the process ends. It may return why it ended (a
   * limit, a crash), which the error of each call the process left unanswered then quotes.
   */
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => string | void;
  /** Called once the process runs, with a kill switch for its whole group (the wall clock uses it). */
  onSpawn?: (process: { pid: number; kill: () => void }) => void;
  /** Console bytes per second kept before lines are dropped (see OutputRateLimiter). */
  outputBytesPerSecond?: number;
  /** Called when the process is killed for flooding far past `outputBytesPerSecond`. */
  onLimitKill?: (reason: string) => void;
  maxLineBytes?: number;
  /** Grace period between SIGTERM and SIGKILL on close. */
  killGraceMs?: number;
}

/**
 * A client transport that runs an MCP server as a child process and speaks newline-delimited
 * JSON-RPC over its stdin/stdout. Unlike the SDK's own, it owns the spawn: the child leads its own
 * process group (stop, and a crash, take the whole tree), console output is captured line by line
 * under an optional rate limit, and the spec can be rewritten by the sandbox. When the process dies
 * on its own, each request it left unanswered gets an error response saying why, at once. The `pid`
 * and `stderr` members make the SDK treat it as stdio-shaped during version negotiation.
 */
export class StdioClientProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;

  private child?: ChildProcess;
  private closed = false;
  private exited = false;
  private ended = false;
  private finished = false;
  private readonly pending = new UnansweredRequests();
  private readonly framer: LineFramer;
  private readonly gate: ConsoleGate;

  constructor(private readonly options: StdioTransportOptions) {
    this.framer = new LineFramer(options.maxLineBytes ?? 16 * 1024 * 1024);
    this.gate = new ConsoleGate((stream, line) => options.onConsole?.(stream, line), options.outputBytesPerSecond, (why) => {
      options.onLimitKill?.(why);
      this.kill();
    });
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
      const child = spawnGroupLeader(spec);
      this.child = child;
      // Out of descriptors (EMFILE) the spawn fails before any stream exists: only 'error' follows.
      child.once('error', (err) => {
        if (!child.pid) reject(new Error(`cannot start "${spec.command}": ${err.message}`, { cause: err }));
        else this.onerror?.(err);
      });
      if (spawnFailedEarly(child)) {
        // Nothing ran, so there is no exit to report: the start fails and the transport closes.
        this.ended = true;
        child.once('error', () => setImmediate(() => this.finish()));
        return;
      }
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => this.onStdout(chunk));
      const stderrFramer = new LineFramer(64 * 1024);
      child.stderr.on('data', (chunk: string) => {
        if (!this.gate.chunk(chunk.length)) return;
        for (const line of stderrFramer.push(chunk)) this.gate.line('stderr', line.text ?? JSON.stringify(line.message));
      });
      child.stdin.on('error', (err) => this.onerror?.(err));
      child.once('spawn', () => {
        resolve();
        if (child.pid !== undefined) this.options.onSpawn?.({ pid: child.pid, kill: () => this.kill() });
      });
      child.once('exit', () => (this.exited = true));
      whenGone(child, (code, signal) => this.end(code, signal));
    });
  }

  private onStdout(chunk: string): void {
    for (const line of this.framer.push(chunk)) {
      if (line.message) {
        this.pending.received(line.message);
        this.onmessage?.(line.message as JSONRPCMessage);
      } else if (line.text !== undefined && this.gate.chunk(line.text.length + 1)) this.gate.line('stdout', line.text);
    }
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || this.closed || stdin.destroyed) return Promise.reject(new Error('upstream process is not running'));
    this.pending.sent(message);
    // Messages sent in the same tick leave in one write: under load a pipe write per message was
    // the gateway's largest single cost (bench/ profile), and writev of a burst is one syscall.
    if (!this.corked) {
      this.corked = true;
      stdin.cork();
      process.nextTick(() => {
        this.corked = false;
        stdin.uncork();
      });
    }
    return new Promise((resolve, reject) => {
      const ok = stdin.write(JSON.stringify(message) + '\n', (err) => (err ? reject(err) : undefined));
      if (ok) resolve();
      else stdin.once('drain', () => resolve());
    });
  }

  private corked = false;

  /** Ends stdin, then SIGTERM to the process group, then SIGKILL after the grace period. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const child = this.child;
    if (!child || this.ended) return this.finish();
    child.stdin?.end();
    const ended = new Promise<void>((resolve) => child.once('close', () => resolve()));
    signalGroup(child, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), this.options.killGraceMs ?? 2000);
    timer.unref();
    await ended;
    clearTimeout(timer);
  }

  /** Kills the whole process group at once (used when a server must die now, not drain). */
  kill(): void {
    if (this.child && !this.exited) signalGroup(this.child, 'SIGKILL');
  }

  /**
   * The process is gone and its output drained. A death nobody asked for answers every request
   * still waiting with an UPSTREAM_CLOSED error that says why; the close is put off one turn so
   * those answers (delivered a microtask late, see ordered-delivery) land before the SDK's own
   * generic "Connection closed".
   */
  private end(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.ended) return;
    this.ended = true;
    const why = this.options.onExit?.(code, signal) ?? `the upstream process ${signal ? `was killed by ${signal}` : `exited with code ${code}`}`;
    const answer = !this.closed && this.pending.size > 0;
    if (answer) for (const reply of this.pending.drain(why)) this.onmessage?.(reply);
    if (answer) setImmediate(() => this.finish());
    else this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.closed = true;
    this.onclose?.();
  }
}
