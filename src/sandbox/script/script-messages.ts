/**
 * The messages between a ScriptPool and its workers (script-worker.mjs documents the same list).
 * Values travel as JSON text, never as objects: the worker hands the text to the VM as a string.
 */
import type { ScriptLimits, ScriptOutcome } from './script-types.js';

export interface RunMessage {
  type: 'run';
  runId: number;
  code: string;
  toolNames: string[];
  limits: ScriptLimits;
  hasState: boolean;
}

/** The answer to a `call` or `state` message: `value` is JSON text (absent for undefined). */
export type ReplyMessage = { type: 'reply'; runId: number; callId: number } & ({ ok: true; value?: string } | { ok: false; name: string; message: string });

export interface CancelMessage {
  type: 'cancel';
  runId: number;
}

export interface StartedMessage {
  type: 'started';
  runId: number;
}

export interface CallMessage {
  type: 'call';
  runId: number;
  callId: number;
  name: string;
  /** The arguments as JSON text; absent when the program passed none. */
  args?: string;
}

export interface StateMessage {
  type: 'state';
  runId: number;
  callId: number;
  op: 'get' | 'set' | 'delete';
  key: string;
  value?: string;
  ttlMs?: number;
}

/** The worker's own outcome; `ms` is replaced by the pool's measure. `recycle`: replace this worker. */
export interface DoneMessage {
  type: 'done';
  runId: number;
  outcome: ScriptOutcome;
  recycle: boolean;
}

export type WorkerMessage = StartedMessage | CallMessage | StateMessage | DoneMessage;
