// Shared pieces of the program sandbox tests: small limits, an in-memory host, and a check that
// a hostile run leaves the rest of the process alone.
import type { ScriptPool } from '../../src/sandbox/script/script-pool.js';
import { DEFAULT_SCRIPT_LIMITS, type ScriptHost, type ScriptLimits, type ScriptOutcome, type ScriptRequest } from '../../src/sandbox/script/script-types.js';

/**
 * Small enough that every limit but the wall is reached in well under a second. The wall is long
 * so that a cold worker on a loaded machine still finishes a normal program; tests of the wall
 * itself use `SHORT_WALL`.
 */
export const TEST_LIMITS: ScriptLimits = {
  ...DEFAULT_SCRIPT_LIMITS,
  wallMs: 5000,
  memoryBytes: 8 * 1024 * 1024,
  maxToolCalls: 20,
  maxOutputBytes: 4096,
  maxConsoleBytes: 1024,
  maxTimerMs: 200,
};

export const SHORT_WALL: ScriptLimits = { ...TEST_LIMITS, wallMs: 300 };

export interface MemoryHost extends ScriptHost {
  calls: Array<{ name: string; args: unknown }>;
  store: Map<string, { value: unknown; ttlMs?: number }>;
}

/** A host whose tools are plain functions and whose state is a Map. */
export function memoryHost(tools: Record<string, (args: unknown, signal: AbortSignal) => unknown> = {}): MemoryHost {
  const calls: MemoryHost['calls'] = [];
  const store: MemoryHost['store'] = new Map();
  return {
    calls,
    store,
    async callTool(name, args, signal) {
      calls.push({ name, args });
      const tool = tools[name];
      if (!tool) throw new Error(`the test host has no tool ${name}`);
      return tool(args, signal);
    },
    state: {
      get: async (key) => store.get(key)?.value,
      set: async (key, value, ttlMs) => {
        store.set(key, { value, ttlMs });
      },
      delete: async (key) => store.delete(key),
    },
  };
}

/** A request with the test limits and a host offering `echo` (answers its arguments). */
export function request(code: string, overrides: Partial<ScriptRequest> = {}): ScriptRequest {
  return { code, toolNames: ['echo'], limits: TEST_LIMITS, host: memoryHost({ echo: (args) => args }), ...overrides };
}

export interface Contained {
  outcome: ScriptOutcome;
  /** A trivial run started right after the hostile one, on another worker. */
  bystander: ScriptOutcome;
  /** Whether the trivial run finished while the hostile one was still running. */
  bystanderFirst: boolean;
  /** Main-thread timer ticks (every 5 ms) seen while the hostile run ran. */
  ticks: number;
}

/** Runs `hostile` with a trivial run beside it and a timer on the main thread. */
export async function contained(pool: ScriptPool, hostile: ScriptRequest): Promise<Contained> {
  let ticks = 0;
  const ticker = setInterval(() => {
    ticks += 1;
  }, 5);
  let hostileDone = false;
  let bystanderFirst = false;
  const running = pool.run(hostile);
  const bystanderRun = pool.run(request('return 1 + 1')).then((outcome) => {
    bystanderFirst = !hostileDone;
    return outcome;
  });
  const outcome = await running;
  hostileDone = true;
  clearInterval(ticker);
  return { outcome, bystander: await bystanderRun, bystanderFirst, ticks };
}

/** Both workers of a two-worker pool started and ready. */
export async function warm(pool: ScriptPool): Promise<void> {
  await Promise.all([pool.run(request('return 1')), pool.run(request('return 2'))]);
}
