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

/** Defaults until a server's config says otherwise. */
export function defaultCallLimits(config: ServerConfig): CallLimits {
  return {
    concurrency: { maxConcurrent: 64, maxQueued: 256 },
    breaker: { failureThreshold: 5, cooldownMs: 10_000 },
    deadline: { idleMs: config.timeoutMs, maxMs: 0 },
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
