// The echo workload: sequential calls for latency, N calls with C in flight for throughput.
// Every loop is bounded by a call count and by a deadline.
import { nowMs } from './stats.js';

export interface LeanSession {
  /** One tools/call of `echo`; rejects on any error or on a wrong echo. */
  call(text: string): Promise<void>;
  close(): Promise<void>;
}

export interface PhaseResult {
  calls: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  latenciesMs: number[];
  /** true when the deadline cut the phase short */
  truncated: boolean;
}

export const PAYLOAD = 'the quick brown fox jumps over the lazy dog';

/** `count` calls one after another. */
export async function runSequential(call: (text: string) => Promise<void>, count: number, deadlineMs: number): Promise<PhaseResult> {
  const latenciesMs: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const start = nowMs();
  const stopAt = start + deadlineMs;
  let i = 0;
  for (; i < count && nowMs() < stopAt; i++) {
    const t = nowMs();
    try {
      await call(`${PAYLOAD} ${i}`);
      latenciesMs.push(nowMs() - t);
    } catch (err) {
      errors++;
      firstError ??= (err as Error).message;
    }
  }
  return { calls: i, errors, ...(firstError ? { firstError } : {}), elapsedMs: nowMs() - start, latenciesMs, truncated: i < count };
}

/** `total` calls with `inflight` of them outstanding at any time. */
export async function runConcurrent(call: (text: string) => Promise<void>, total: number, inflight: number, deadlineMs: number): Promise<PhaseResult> {
  const latenciesMs: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let issued = 0;
  const start = nowMs();
  const stopAt = start + deadlineMs;
  const worker = async () => {
    while (issued < total && nowMs() < stopAt) {
      const i = issued++;
      const t = nowMs();
      try {
        await call(`${PAYLOAD} ${i}`);
        latenciesMs.push(nowMs() - t);
      } catch (err) {
        errors++;
        firstError ??= (err as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(inflight, total) }, worker));
  return { calls: issued, errors, ...(firstError ? { firstError } : {}), elapsedMs: nowMs() - start, latenciesMs, truncated: issued < total };
}
