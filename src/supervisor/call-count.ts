/**
 * The calls an upstream is serving, and a wait for the moment there are none (bounded). Kept
 * apart from the connection's own request count, which also holds health pings and the
 * gateway's own list requests, none of which a reload should wait for.
 *
 * @example
 * const calls = new CallCount();
 * calls.count++;            // a call took a lease
 * const idle = calls.idle(30_000);
 * calls.done();             // it ended: idle resolves
 */
export class CallCount {
  count = 0;
  private waiters: Array<() => void> = [];

  done(): void {
    this.count--;
    if (this.count > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves when no call is in flight, or after `timeoutMs`, whichever comes first. */
  idle(timeoutMs: number): Promise<void> {
    if (this.count <= 0 || timeoutMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(finish, timeoutMs);
      timer.unref();
      function finish(): void {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(finish);
    });
  }
}
