import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { Supervisor } from '../../src/supervisor/supervisor.js';
import { eventually } from '../helpers/outlet.js';
import { ROUTING_SERVER } from './helpers.js';

// A server that cannot start says why in the gateway log (not only in /ready): each failure and
// the wait before the next attempt at warn, a server that keeps failing at error; its start error
// carries the exit code and the last distinct lines of that attempt alone.
interface Logged {
  level: string;
  msg: string;
  data?: Record<string, unknown>;
}
let supervisor: Supervisor | undefined;

afterEach(async () => {
  await supervisor?.close();
  supervisor = undefined;
});

function start(env: Record<string, string>, restart = { baseMs: 20, maxMs: 80 }): { logged: Logged[]; supervisor: Supervisor } {
  const logged: Logged[] = [];
  const config = parseConfig({ servers: { dead: { command: process.execPath, args: [ROUTING_SERVER], env } } }, { baseDir: process.cwd() });
  supervisor = new Supervisor({ connectTimeoutMs: 10_000, restart, log: (level, msg, data) => void logged.push({ level, msg, ...(data ? { data } : {}) }) });
  void supervisor.apply(config.servers);
  return { logged, supervisor };
}

describe('a server that exits at start', () => {
  it('logs each failure at warn with its cause and the retry delay, and at error once it keeps failing', async () => {
    const { logged } = start({ ROUTING_EXIT: '3' });
    await eventually(() => logged.some((l) => l.level === 'error'), 20_000);
    const warns = logged.filter((l) => l.level === 'warn' && l.data?.server === 'dead');
    expect(warns.length).toBeGreaterThanOrEqual(1);
    expect(warns[0]!.msg).toMatch(/^upstream "dead" failed to start; restarting in \d+ ms: /);
    expect(warns[0]!.data).toMatchObject({ server: 'dead', restarts: 0, retryInMs: expect.any(Number) });
    const errors = logged.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.msg).toMatch(/^upstream "dead" keeps failing \(\d+ restarts\)/);
    expect(errors[0]!.msg).toContain('missing API_KEY');
  });

  it('reports the exit code and the last distinct lines of the latest attempt only', async () => {
    const { supervisor: s } = start({ ROUTING_EXIT: '3' });
    const up = s.get('dead')!;
    await eventually(() => up.restarts >= 2 && up.state === 'backoff', 20_000);
    const text = up.lastError!;
    expect(text).toContain('exited with code 3');
    const quoted = /\(last output: (.*)\)$/.exec(text)?.[1];
    expect(quoted).toBe('routing: missing API_KEY | routing: giving up with 3');
  });
});
