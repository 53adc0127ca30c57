import type { InstancesConfig } from '../config/index.js';
import type { InstanceStrategy, StrategyDeps } from './instance-strategy.js';
import { PerRequestInstances } from './per-request-instances.js';
import { PerSessionInstances } from './per-session-instances.js';
import { PoolInstances } from './pool-instances.js';

/** The strategy of an `instances` mode; none for `shared`, where the one connection serves every call. */
export function createInstanceStrategy(instances: InstancesConfig | undefined, deps: StrategyDeps): InstanceStrategy | undefined {
  switch (instances?.mode) {
    case undefined:
    case 'shared':
      return undefined;
    case 'pool':
      return new PoolInstances(deps, instances.size);
    case 'per-request':
      return new PerRequestInstances(deps, instances);
    case 'per-session':
      return new PerSessionInstances(deps, instances);
  }
}

/** How long starting one more instance may wait for room under the gateway's process cap. */
export function capWaitMs(instances: InstancesConfig | undefined, connectTimeoutMs: number): number {
  return instances && 'acquireTimeoutMs' in instances ? instances.acquireTimeoutMs : connectTimeoutMs;
}
