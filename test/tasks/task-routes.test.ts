import { afterEach, describe, expect, it, vi } from 'vitest';
import { TaskRoutes } from '../../src/router/task-routes.js';

describe('TaskRoutes', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves a task only for the session that created it, and only on its own server endpoint', () => {
    const routes = new TaskRoutes();
    routes.remember('s1', 't1', 'everything', 60_000);
    expect(routes.resolve('s1', 't1')).toBe('everything');
    expect(routes.resolve('s1', 't1', 'everything')).toBe('everything');
    expect(() => routes.resolve('s2', 't1')).toThrow(/unknown task "t1"/);
    expect(() => routes.resolve(undefined, 't1')).toThrow(/unknown task "t1"/);
    expect(() => routes.resolve('s1', 't1', 'other')).toThrow(/on server "other"/);
    expect(() => routes.resolve('s1', 42)).toThrow(/params.taskId/);
  });

  it('forgets a task when its ttl has passed', () => {
    vi.useFakeTimers();
    const routes = new TaskRoutes();
    routes.remember('s1', 't1', 'everything', 1_000);
    vi.advanceTimersByTime(1_001);
    expect(() => routes.resolve('s1', 't1')).toThrow(/expired/);
    expect(routes.byServer('s1').size).toBe(0);
  });

  it('groups a session’s tasks by server and keeps at most 1000 per session, oldest first out', () => {
    const routes = new TaskRoutes();
    for (let i = 0; i < 1_001; i++) routes.remember('s1', `t${i}`, i % 2 ? 'a' : 'b', null);
    routes.remember('s2', 'x', 'a', null);
    const groups = routes.byServer('s1');
    expect((groups.get('a')?.size ?? 0) + (groups.get('b')?.size ?? 0)).toBe(1_000);
    expect(groups.get('b')?.has('t0')).toBe(false);
    expect(groups.get('a')?.has('x')).toBe(false);
    expect(routes.byServer('s1', 'a').has('b')).toBe(false);
  });
});
