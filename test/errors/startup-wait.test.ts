import { describe, expect, it } from 'vitest';
import { START_ATTEMPTS, isStarting, waitForServers } from '../../src/supervisor/startup-wait.js';
import type { UpstreamStatus } from '../../src/supervisor/upstream-status.js';

// What counts as "still starting" for the bounded start-up wait: every state short of connected,
// stopped or a run of failed attempts, including ones this module does not name (installing).
function status(name: string, state: string, restarts = 0, lastError?: string): UpstreamStatus {
  return { name, transport: 'stdio', state: state as UpstreamStatus['state'], restarts, tools: 0, ...(lastError ? { lastError } : {}) };
}

describe('isStarting', () => {
  it('counts installing, connecting and early backoff as starting; connected, stopped and a run of failures not', () => {
    expect(isStarting(status('a', 'installing'))).toBe(true);
    expect(isStarting(status('a', 'connecting', START_ATTEMPTS - 1))).toBe(true);
    expect(isStarting(status('a', 'backoff', START_ATTEMPTS - 2))).toBe(true);
    expect(isStarting(status('a', 'backoff', START_ATTEMPTS - 1))).toBe(false);
    expect(isStarting(status('a', 'connecting', START_ATTEMPTS))).toBe(false);
    expect(isStarting(status('a', 'connected'))).toBe(false);
    expect(isStarting(status('a', 'stopped'))).toBe(false);
  });
});

describe('waitForServers', () => {
  it('waits through an install until the server connects, reporting the installing state', async () => {
    let polls = 0;
    const seen: string[] = [];
    const outcome = await waitForServers(() => [++polls < 3 ? status('pkg', 'installing') : status('pkg', 'connected'), status('other', 'connected')], {
      timeoutMs: 30_000,
      onProgress: (starting) => seen.push(starting.map((s) => `${s.name}:${s.state}`).join(',')),
    });
    expect(outcome).toEqual({ down: [], timedOut: false });
    expect(seen).toEqual(['pkg:installing']);
  });

  it('ends at the bound with what is still starting and what failed, only for the servers asked about', async () => {
    const outcome = await waitForServers(async () => [status('slow', 'installing'), status('bad', 'backoff', 5, 'spawn ENOENT'), status('elsewhere', 'connecting')], {
      timeoutMs: 300,
      servers: ['slow', 'bad'],
    });
    expect(outcome.timedOut).toBe(true);
    expect(outcome.down.map((s) => [s.name, s.state, s.lastError])).toEqual([
      ['slow', 'installing', undefined],
      ['bad', 'backoff', 'spawn ENOENT'],
    ]);
  });
});
