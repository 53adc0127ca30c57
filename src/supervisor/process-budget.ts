import { OutletError } from '../errors/index.js';

/** Gives a process slot back; safe to call more than once (exit and close both call it). */
export type ReleaseSlot = () => void;

interface Waiter {
  grant: (release: ReleaseSlot) => void;
  timer: NodeJS.Timeout;
}

/** How a budget is named in its errors: the setting that sizes it and what it caps. */
export interface BudgetName {
  setting: string;
  what: string;
}

const GATEWAY_CAP: BudgetName = { setting: 'limits.maxProcesses', what: "the gateway's process cap" };

/**
 * A cap on server processes: the gateway-wide one (`limits.maxProcesses`), shared by every
 * configured stdio server and every instance of one, and a separate one for inline `/rpc` servers
 * (`rpc.maxProcesses`), so that callers of `/rpc` can never take the slots configured servers
 * need to start or restart. A slot is taken before a spawn and given back when the process has
 * exited, not when it was asked to stop, so a server slow to die still counts. A start that finds
 * no room waits in line, for a bounded time, then fails with a GATEWAY_BUSY error that says so.
 */
export class ProcessBudget {
  private used = 0;
  private readonly waiters: Waiter[] = [];

  constructor(
    private max: number,
    readonly name: BudgetName = GATEWAY_CAP,
  ) {}

  get inUse(): number {
    return this.used;
  }

  get limit(): number {
    return this.max;
  }

  /** Starts waiting in line for a slot. */
  get queued(): number {
    return this.waiters.length;
  }

  /** A reload may raise or lower the cap; processes over a lowered cap run on, no new ones start. */
  setLimit(max: number): void {
    this.max = max;
    this.grantWaiting();
  }

  /** A slot now, or undefined when the cap is reached (waiting starts go first). */
  tryTake(): ReleaseSlot | undefined {
    if (this.waiters.length > 0 || this.used >= this.max) return undefined;
    return this.slot();
  }

  /** A slot, waiting at most `waitMs` for one (or until `signal` aborts); `who` names the server in the error. */
  take(waitMs: number, who: string, signal?: AbortSignal): Promise<ReleaseSlot> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const now = this.tryTake();
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const leave = (err: unknown): void => {
        clearTimeout(waiter.timer);
        signal?.removeEventListener('abort', onAbort);
        const at = this.waiters.indexOf(waiter);
        if (at !== -1) this.waiters.splice(at, 1);
        reject(err);
      };
      const onAbort = (): void => leave(signal?.reason);
      const waiter: Waiter = {
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
        timer: setTimeout(() => leave(this.full(who, waitMs)), waitMs),
      };
      waiter.timer.unref();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private full(who: string, waitMs: number): OutletError {
    return new OutletError(
      'GATEWAY_BUSY',
      `cannot start another process of "${who}": ${this.name.what} (${this.name.setting} = ${this.max}) stayed reached for ${waitMs} ms`,
      { server: who, maxProcesses: this.max, setting: this.name.setting },
    );
  }

  private slot(): ReleaseSlot {
    this.used++;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.used--;
      this.grantWaiting();
    };
  }

  private grantWaiting(): void {
    while (this.waiters.length > 0 && this.used < this.max) {
      const waiter = this.waiters.shift()!;
      clearTimeout(waiter.timer);
      waiter.grant(this.slot());
    }
  }
}
