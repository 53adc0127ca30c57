import type { Worker } from 'node:worker_threads';

/**
 * The program sandbox's public shapes. A program is untrusted JavaScript or TypeScript run in
 * QuickJS (WebAssembly) in a worker thread; it reaches the host only through the functions a
 * `ScriptHost` supplies, and only with JSON.
 */

/** Bounds on one run. The pool clamps odd values (see `normaliseLimits`). */
export interface ScriptLimits {
  /** The whole run, including time waiting on host calls and timers (compiling has its own wallMs before it). */
  wallMs: number;
  /** The QuickJS heap one run may take; past it allocations fail and the run ends 'memory'. */
  memoryBytes: number;
  /** QuickJS's max stack size; at most 4 MiB (the WebAssembly build's own stack is 5 MiB). */
  stackBytes: number;
  /** Host tool calls per run; the one past the limit fails the run (reason 'tool-calls'). */
  maxToolCalls: number;
  /** The returned value's text (UTF-8 bytes); longer is cut with a marker saying how much was cut. */
  maxOutputBytes: number;
  /** Console output kept (UTF-8 bytes); the rest dropped, with a final line saying how many bytes and lines. */
  maxConsoleBytes: number;
  /** The longest single setTimeout delay; a longer one throws a RangeError in the program (no clamping). */
  maxTimerMs: number;
}

/** 10 s, 64 MiB, 512 KiB, 200 calls, 64 KiB, 16 KiB, 5 s. */
export const DEFAULT_SCRIPT_LIMITS: ScriptLimits = Object.freeze({
  wallMs: 10_000,
  memoryBytes: 64 * 1024 * 1024,
  stackBytes: 512 * 1024,
  maxToolCalls: 200,
  maxOutputBytes: 64 * 1024,
  maxConsoleBytes: 16 * 1024,
  maxTimerMs: 5_000,
});

/** What the caller lends a program. */
export interface ScriptHost {
  /** One tool call from the program. Resolves with a JSON value; rejects with an Error whose `name` and `message` the program sees (e.g. name 'ToolRefusedError'). */
  callTool(name: string, args: unknown, signal: AbortSignal): Promise<unknown>;
  /** Optional session state for the program (`state` global): JSON values only. */
  state?: {
    get(key: string): Promise<unknown>;
    set(key: string, value: unknown, ttlMs?: number): Promise<void>;
    delete(key: string): Promise<boolean>;
  };
}

export interface ScriptRequest {
  /** The body of an async function: top-level `await` and `return` work; TypeScript types are stripped. */
  code: string;
  /** The names `tools.<name>(args)` answers to; any other name rejects. */
  toolNames: readonly string[];
  limits: ScriptLimits;
  host: ScriptHost;
  /** Aborting it ends the run with reason 'cancelled' and aborts the host calls in flight. */
  signal?: AbortSignal;
}

export type ScriptFailure = 'thrown' | 'syntax' | 'timeout' | 'memory' | 'stack' | 'tool-calls' | 'cancelled' | 'busy' | 'crashed';

/**
 * How a run ended. `console` holds the lines kept (empty when the worker had to be killed),
 * `toolCalls` the calls the program made, `ms` the time from `run()` to the outcome, queueing
 * included.
 */
export type ScriptOutcome =
  | {
      ok: true;
      /** The return value as JSON text, when it is JSON-serialisable and fits in maxOutputBytes. */
      json?: string;
      /** What to show: a string as is, other JSON pretty-printed, anything else String(value); cut with a marker if over maxOutputBytes. */
      text: string;
      cut?: { shownBytes: number; totalBytes: number };
      console: string[];
      toolCalls: number;
      ms: number;
    }
  | { ok: false; reason: ScriptFailure; errorName?: string; message: string; console: string[]; toolCalls: number; ms: number };

export interface ScriptPoolOptions {
  /** Worker threads at most; default min(4, availableParallelism()). */
  workers?: number;
  /** Runs waiting for a worker at most; past it `run()` resolves with reason 'busy'. Default 64. */
  maxQueued?: number;
  /** An idle worker exits after this; default 30 s. */
  idleMs?: number;
  /** Called with each worker thread the pool starts (diagnostics and tests). */
  onWorker?: (worker: Worker) => void;
}
