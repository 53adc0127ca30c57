import { describe, expect, it } from 'vitest';
import { eventually } from '../helpers/outlet.js';
import { suiteGateway } from '../helpers/suite-gateway.js';
import { everythingServer, tinyServer } from '../helpers/tool-fixtures.js';

// Upstreams that go wrong at runtime never stop the others from being served: one exits at once,
// one publishes a name that breaks the 64-character limit, one prints garbage on stdout.
const LONG = 'a_tool_name_that_is_much_too_long_for_clients_to_accept_ok'; // 58 chars; with "longnames__" = 69

const suite = suiteGateway(
  {
    startup: { listWaitMs: 10_000 },
    servers: {
      everything: everythingServer(),
      dies: tinyServer({ TINY_EXIT: '3' }),
      longnames: tinyServer({ TINY_TOOLS: `short_one,${LONG}` }),
      noisy: tinyServer({ TINY_BANNER: 'Server starting... not JSON', TINY_TOOLS: 'hello' }),
    },
  },
  { client: { era: 'legacy' } },
);

describe('a server that exits at once', () => {
  it('is reported with its last words in /ready (503), and restarted with backoff', async () => {
    const body = await eventually(async () => {
      const res = await suite.gw.fetch('/ready');
      const json = (await res.json()) as { upstreams: { name: string; state: string; lastError?: string; restarts: number }[] };
      const dies = json.upstreams.find((u) => u.name === 'dies');
      return res.status === 503 && dies?.lastError && dies.restarts >= 1 ? json : undefined;
    });
    const dies = body!.upstreams.find((u) => u.name === 'dies')!;
    expect(dies.state).not.toBe('connected');
    expect(dies.lastError).toMatch(/failed to start/);
    expect(dies.lastError).toContain('fatal: tiny-server was told to exit at start');
  });

  it('does not stop the others from being served', async () => {
    const names = (await suite.client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('everything__echo');
    expect(names).toContain('noisy__hello');
    expect(names.some((n) => n.startsWith('dies__'))).toBe(false);
    const echo = await suite.client.callTool({ name: 'everything__echo', arguments: { message: 'still here' } });
    expect(echo.content).toEqual([{ type: 'text', text: 'Echo: still here' }]);
  });

  it('answers calls to it with a clear unavailable error, at once', async () => {
    // A 2026-07-28 stateless request (its Mcp-Method / Mcp-Name headers mirror the body).
    const { status, text } = await suite.gw.request('tools/call', { name: 'anything' }, { route: '/servers/dies/mcp' });
    expect(status).toBe(200); // a JSON-RPC error in a normal response: the HTTP exchange itself was fine
    expect(text).toContain('upstream \\"dies\\" is');
    expect(text).toContain('-32010');
  });
});

describe('a tool name over 64 characters', () => {
  it('is withheld with a message suggesting a shorter prefix, while its siblings are served', async () => {
    const names = (await suite.client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('longnames__short_one');
    expect(names.some((n) => n.includes(LONG))).toBe(false);
    const ready = (await (await suite.gw.fetch('/ready')).json()) as { problems: { server: string; code: string; message: string }[] };
    const problem = ready.problems.find((p) => p.server === 'longnames');
    expect(problem?.code).toBe('name-too-long');
    expect(problem?.message).toMatch(/set a shorter "prefix" for this server \(at most 4 characters\)/);
  });
});

describe('a server that prints non-JSON on stdout', () => {
  it('keeps working, and the line is kept as console output', async () => {
    const hello = await suite.client.callTool({ name: 'noisy__hello', arguments: { x: 1 } });
    const [first] = hello.content as { type: string; text: string }[];
    expect(JSON.parse(first!.text)).toEqual({ tool: 'hello', args: { x: 1 } });
    const logs = (await (await suite.gw.fetch('/api/servers/noisy/logs')).json()) as { lines: { stream: string; line: string }[] };
    expect(logs.lines).toContainEqual(expect.objectContaining({ stream: 'stdout', line: 'Server starting... not JSON' }));
  });
});
