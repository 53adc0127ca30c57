import type { ScriptLimits } from './script-types.js';

/** QuickJS's stack lives in the WebAssembly build's own 5 MiB stack; more would overrun it. */
export const MAX_STACK_BYTES = 4 * 1024 * 1024;
const MIN_STACK_BYTES = 64 * 1024;
/** Below this a fresh context (about 300 KiB) with the prelude does not fit. */
const MIN_MEMORY_BYTES = 1024 * 1024;

/**
 * The limits a worker gets: whole numbers, each within what the sandbox can honour. A caller's
 * odd value (zero, negative, NaN) becomes the nearest sane one rather than an error, so `run()`
 * keeps its promise never to reject.
 *
 * @example
 * normaliseLimits({ ...DEFAULT_SCRIPT_LIMITS, stackBytes: 64 * 1024 * 1024 }).stackBytes; // 4 MiB
 */
export function normaliseLimits(limits: ScriptLimits): ScriptLimits {
  const whole = (value: number, min: number, max = Number.MAX_SAFE_INTEGER): number => (Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : min);
  return {
    wallMs: whole(limits.wallMs, 1),
    memoryBytes: whole(limits.memoryBytes, MIN_MEMORY_BYTES, 2 ** 31 - 256 * 1024 * 1024),
    stackBytes: whole(limits.stackBytes, MIN_STACK_BYTES, MAX_STACK_BYTES),
    maxToolCalls: whole(limits.maxToolCalls, 0),
    maxOutputBytes: whole(limits.maxOutputBytes, 0),
    maxConsoleBytes: whole(limits.maxConsoleBytes, 0),
    maxTimerMs: whole(limits.maxTimerMs, 0),
  };
}
