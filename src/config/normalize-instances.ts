import type { ConfigIssue, PathSegment } from './issues.js';
import { formatPath } from './issues.js';
import type { InstancesInput } from './instances-schema.js';
import type { InstancesConfig } from './types.js';

/** Which optional keys each mode reads; any other key written for that mode is a mistake. */
const KEYS_OF: Record<InstancesConfig['mode'], readonly (keyof InstancesInput)[]> = {
  shared: [],
  pool: ['size'],
  'per-request': ['spares', 'acquireTimeoutMs', 'warmup'],
  'per-session': ['spares', 'max', 'idleTimeoutMs', 'acquireTimeoutMs', 'warmup'],
};

const OPTION_KEYS = ['size', 'spares', 'max', 'idleTimeoutMs', 'acquireTimeoutMs', 'warmup'] as const;

/**
 * Fills the defaults of the mode an `instances` block asks for, and reports every key that the
 * mode would ignore (a `size` on a per-session server is a misunderstanding, not a no-op).
 *
 * @example
 * normalizeInstances({ mode: 'pool' }, ['servers', 'fs', 'instances']); // { instances: { mode: 'pool', size: 2 }, issues: [] }
 */
export function normalizeInstances(input: InstancesInput, path: PathSegment[]): { instances?: InstancesConfig; issues: ConfigIssue[] } {
  const mode = input.mode ?? 'shared';
  const allowed = KEYS_OF[mode];
  const issues: ConfigIssue[] = [];
  for (const key of OPTION_KEYS) {
    if (input[key] === undefined || allowed.includes(key)) continue;
    const fits = (Object.keys(KEYS_OF) as InstancesConfig['mode'][]).filter((m) => KEYS_OF[m].includes(key));
    issues.push({ path: formatPath([...path, key]), message: `does not apply to mode "${mode}" (only to ${fits.map((m) => `"${m}"`).join(' and ')})` });
  }
  if (issues.length > 0) return { issues };
  const acquireTimeoutMs = input.acquireTimeoutMs ?? 30_000;
  switch (mode) {
    case 'shared':
      return { instances: { mode }, issues };
    case 'pool':
      return { instances: { mode, size: input.size ?? 2 }, issues };
    case 'per-request':
      return { instances: { mode, spares: input.spares ?? 2, acquireTimeoutMs, warmup: input.warmup ?? [] }, issues };
    case 'per-session':
      return { instances: { mode, spares: input.spares ?? 1, max: input.max ?? 32, idleTimeoutMs: input.idleTimeoutMs ?? 300_000, acquireTimeoutMs, warmup: input.warmup ?? [] }, issues };
  }
}
