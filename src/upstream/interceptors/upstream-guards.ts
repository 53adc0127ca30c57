import picomatch from 'picomatch';
import type { ServerConfig } from '../../config/index.js';
import { CircuitBreaker, type BreakerOptions, type BreakerState } from './circuit-breaker.js';
import { concurrencyLimit, type ConcurrencyOptions } from './concurrency-limit.js';
import { deadline, type DeadlineOptions } from './deadline.js';
import { chain, type Invoke } from './types.js';

export interface CallLimits {
  concurrency: ConcurrencyOptions;
  breaker: BreakerOptions;
  deadline: DeadlineOptions;
}

/** The limits a server's entry sets (`timeoutMs` and its `calls` block, defaults filled in). */
export function defaultCallLimits(config: ServerConfig): CallLimits {
  const { calls } = config;
  return {
    concurrency: { maxConcurrent: calls.maxConcurrent, maxQueued: calls.maxQueued },
    breaker: { failureThreshold: calls.breaker.failureThreshold, cooldownMs: calls.breaker.cooldownMs },
    deadline: {
      idleMs: config.timeoutMs,
      maxMs: calls.maxMs ?? 0,
      tools: Object.entries(calls.tools).map(([pattern, limits]) => ({
        matches: picomatch(pattern, { dot: true }),
        ...(limits.timeoutMs !== undefined ? { idleMs: limits.timeoutMs } : {}),
        ...(limits.maxMs !== undefined ? { maxMs: limits.maxMs } : {}),
      })),
    },
  };
}

export interface GuardEvents {
  onBreakerChange?: (server: string, state: BreakerState) => void;
  onQueueReject?: (server: string) => void;
}

interface Guard {
  invoke: Invoke;
  breaker: CircuitBreaker;
  config: ServerConfig;
}

/**
 * The upstream interceptor chain of each server, kept per server so that its breaker and queue
 * outlive single calls: deadline (outermost, so the whole wait counts), breaker (fail fast
 * before queueing), concurrency limit, then the send itself.
 */
export class UpstreamGuards {
  private readonly guards = new Map<string, Guard>();

  constructor(
    private readonly send: Invoke,
    private readonly limits: (config: ServerConfig) => CallLimits = defaultCallLimits,
    private readonly events: GuardEvents = {},
  ) {}

  invoke(config: ServerConfig): Invoke {
    let guard = this.guards.get(config.name);
    if (!guard || guard.config !== config) {
      const limits = this.limits(config);
      const breaker = new CircuitBreaker(limits.breaker, (state) => this.events.onBreakerChange?.(config.name, state));
      const invoke = chain([deadline(limits.deadline), breaker.interceptor, concurrencyLimit(limits.concurrency, () => this.events.onQueueReject?.(config.name))], this.send);
      guard = { invoke, breaker, config };
      this.guards.set(config.name, guard);
    }
    return guard.invoke;
  }

  breakerState(server: string): BreakerState | undefined {
    return this.guards.get(server)?.breaker.state;
  }

  forget(server: string): void {
    this.guards.delete(server);
  }
}
