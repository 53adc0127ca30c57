import { OutletError } from '../errors/index.js';

/** How long a task is remembered when its creator gave no `ttl` (the spec lets servers pick one). */
const DEFAULT_TTL_MS = 60 * 60_000;
/** Tasks remembered per session; the oldest is forgotten first (a bound against a client that never stops creating). */
const MAX_PER_SESSION = 1_000;

interface TaskRoute {
  server: string;
  expiresAt: number;
}

/**
 * Which upstream created each task, per client session (2025-11-25 "Tasks"). Task ids are minted
 * by upstreams and travel through the gateway unchanged, so the follow-up requests (tasks/get,
 * tasks/result, tasks/cancel) carry nothing but the id: the gateway looks it up here. A lookup is
 * always within one session, so a task id learned by another client (or guessed) reaches nothing:
 * tasks may hold another client's data (spec: task isolation by authorization context).
 */
export class TaskRoutes {
  private readonly bySession = new Map<string, Map<string, TaskRoute>>();

  remember(sessionKey: string, taskId: string, server: string, ttlMs: number | null | undefined): void {
    let tasks = this.bySession.get(sessionKey);
    if (!tasks) this.bySession.set(sessionKey, (tasks = new Map()));
    tasks.delete(taskId);
    tasks.set(taskId, { server, expiresAt: Date.now() + (typeof ttlMs === 'number' && ttlMs > 0 ? ttlMs : DEFAULT_TTL_MS) });
    if (tasks.size > MAX_PER_SESSION) tasks.delete(tasks.keys().next().value as string);
  }

  /** The upstream of a task this session created; a clear error for any other id. */
  resolve(sessionKey: string | undefined, taskId: unknown, scopeServer?: string): string {
    if (typeof taskId !== 'string' || taskId === '') {
      throw new OutletError('INVALID_PARAMS', 'params.taskId: expected the id of a task this session created', { path: 'params.taskId' });
    }
    const route = sessionKey ? this.live(sessionKey).get(taskId) : undefined;
    if (!route || (scopeServer !== undefined && route.server !== scopeServer)) {
      throw new OutletError('INVALID_PARAMS', `unknown task "${taskId}": no task with this id was created by this session${scopeServer ? ` on server "${scopeServer}"` : ''}, or it has expired`, { path: 'params.taskId' });
    }
    return route.server;
  }

  /** This session's live tasks, grouped by upstream. */
  byServer(sessionKey: string | undefined, scopeServer?: string): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    if (!sessionKey) return out;
    for (const [taskId, route] of this.live(sessionKey)) {
      if (scopeServer !== undefined && route.server !== scopeServer) continue;
      let ids = out.get(route.server);
      if (!ids) out.set(route.server, (ids = new Set()));
      ids.add(taskId);
    }
    return out;
  }

  private live(sessionKey: string): Map<string, TaskRoute> {
    const tasks = this.bySession.get(sessionKey) ?? new Map<string, TaskRoute>();
    const now = Date.now();
    for (const [id, route] of tasks) if (route.expiresAt <= now) tasks.delete(id);
    if (tasks.size === 0) this.bySession.delete(sessionKey);
    return tasks;
  }
}
