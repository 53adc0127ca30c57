import { OutletError, isOutletError } from '../../errors/index.js';
import type { Interceptor } from './types.js';

export interface BreakerOptions {
  /** Consecutive upstream failures that open the circuit; 0 disables the breaker. */
  failureThreshold: number;
  /** How long the circuit stays open before one probe call is let through. */
  cooldownMs: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Failures that say the upstream is unwell, not that the call was wrong. */
const UPSTREAM_FAULTS = new Set(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_CLOSED', 'UPSTREAM_TIMEOUT']);

/**
 * A per-upstream circuit breaker: after `failureThreshold` consecutive faults (timeouts, closed
 * connections; not tool errors, which are answers) calls fail fast for `cooldownMs`, then one
 * probe is let through: success closes the circuit, failure opens it again.
 */
export class CircuitBreaker {
  state: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probing = false;

  constructor(
    private readonly options: BreakerOptions,
    private readonly onChange?: (state: BreakerState) => void,
    private readonly now: () => number = Date.now,
  ) {}

  readonly interceptor: Interceptor = (next) => async (call) => {
    if (this.options.failureThreshold <= 0) return next(call);
    this.admit(call.server);
    try {
      const result = await next(call);
      this.succeeded();
      return result;
    } catch (err) {
      if (isOutletError(err) && UPSTREAM_FAULTS.has(err.code)) this.failed();
      else this.succeeded(); // an answer, even an error answer, proves the upstream is alive
      throw err;
    } finally {
      this.probing = false;
    }
  };

  private admit(server: string): void {
    if (this.state === 'closed') return;
    if (this.state === 'open' && this.now() - this.openedAt >= this.options.cooldownMs) this.set('half-open');
    if (this.state === 'half-open' && !this.probing) {
      this.probing = true;
      return;
    }
    const retryIn = Math.max(0, this.options.cooldownMs - (this.now() - this.openedAt));
    throw new OutletError('UPSTREAM_UNAVAILABLE', `upstream "${server}" is failing; circuit open, next try in ${Math.ceil(retryIn / 1000)} s`, { server, breaker: this.state, retryInMs: retryIn });
  }

  private succeeded(): void {
    this.failures = 0;
    if (this.state !== 'closed') this.set('closed');
  }

  private failed(): void {
    this.failures++;
    if (this.state === 'half-open' || this.failures >= this.options.failureThreshold) {
      this.openedAt = this.now();
      this.set('open');
    }
  }

  private set(state: BreakerState): void {
    this.state = state;
    this.onChange?.(state);
  }
}
