import { Client, StreamableHTTPClientTransport, specTypeSchemas } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttpClient, eventually } from '../helpers/outlet.js';
import { suiteGateway } from '../helpers/suite-gateway.js';
import { EVERYTHING_ROUTES, everythingServer } from '../helpers/tool-fixtures.js';

// MCP tasks (2025-11-25, "Tasks"): a task-augmented tools/call answers with a CreateTaskResult;
// the task is then polled with tasks/get and its outcome fetched with tasks/result, each routed to
// the upstream that created it, and only for the session that created it.

// Listening: the clients below connect by URL, with transports of their own.
const suite = suiteGateway({ servers: { everything: everythingServer() } }, { listen: true, ready: true });

/** The typed request surface of the SDK v2 omits tasks/*; a raw request with the SDK's own result schema sends them. */
type Raw = (req: { method: string; params: Record<string, unknown> }, schema: unknown) => Promise<Record<string, unknown>>;
const raw = (client: Client): Raw => client.request.bind(client) as unknown as Raw;

describe.each(EVERYTHING_ROUTES)('tasks through %s', (path, prefix) => {
  let client: Client;
  let other: Client;
  beforeAll(async () => {
    client = await connectHttpClient(`${suite.url}${path}`, '2025-11-25');
    other = await connectHttpClient(`${suite.url}${path}`, '2025-11-25');
  });
  afterAll(async () => {
    await client?.close();
    await other?.close();
  });

  it('advertises tasks for tools/call because the upstream does', () => {
    expect(client.getServerCapabilities()?.tasks?.requests?.tools?.call).toBeDefined();
  });

  it('runs simulate-research-query as a task: created, polled with tasks/get until done, then tasks/result', async () => {
    const created = await raw(client)(
      { method: 'tools/call', params: { name: `${prefix}simulate-research-query`, arguments: { topic: 'tides' }, task: { ttl: 60_000 } } },
      specTypeSchemas.CreateTaskResult,
    );
    const task = created.task as { taskId: string; status: string };
    expect(task.taskId).toEqual(expect.any(String));
    expect(['working', 'submitted']).toContain(task.status);

    const done = await eventually(async () => {
      const got = await raw(client)({ method: 'tasks/get', params: { taskId: task.taskId } }, specTypeSchemas.GetTaskResult);
      return got.status === 'completed' ? got : undefined;
    }, 20_000, 250);
    expect(done?.taskId).toBe(task.taskId);

    const listed = await raw(client)({ method: 'tasks/list', params: {} }, specTypeSchemas.ListTasksResult);
    expect((listed.tasks as { taskId: string }[]).map((t) => t.taskId)).toContain(task.taskId);

    const result = await raw(client)({ method: 'tasks/result', params: { taskId: task.taskId } }, specTypeSchemas.GetTaskPayloadResult);
    expect(JSON.stringify(result.content)).toContain('tides');

    // Another session can neither read, fetch, cancel nor list the first session's task.
    for (const method of ['tasks/get', 'tasks/result', 'tasks/cancel']) {
      await expect(raw(other)({ method, params: { taskId: task.taskId } }, specTypeSchemas.GetTaskResult)).rejects.toThrow(/unknown task/i);
    }
    const otherList = await raw(other)({ method: 'tasks/list', params: {} }, specTypeSchemas.ListTasksResult);
    expect((otherList.tasks as { taskId: string }[]).map((t) => t.taskId)).not.toContain(task.taskId);
  });

  it('answers an unknown task id with a clear error', async () => {
    await expect(raw(client)({ method: 'tasks/get', params: { taskId: 'no-such-task' } }, specTypeSchemas.GetTaskResult)).rejects.toThrow(/unknown task.*no-such-task/i);
  });
});

describe('a 2026-07-28 client (tasks are an extension there, which the outlet does not offer)', () => {
  let client: Client;
  beforeAll(async () => {
    client = await connectHttpClient(`${suite.url}/mcp`, '2026-07-28');
  });
  afterAll(async () => {
    await client?.close();
  });

  it('gets no tasks capability, and a call that asks for a task runs to completion as an ordinary call', async () => {
    expect(client.getServerCapabilities()?.tasks).toBeUndefined();
    const result = await raw(client)(
      { method: 'tools/call', params: { name: 'everything__echo', arguments: { message: 'plain' }, task: { ttl: 60_000 } } },
      specTypeSchemas.CallToolResult,
    );
    expect(result.task).toBeUndefined();
    expect(JSON.stringify(result.content)).toContain('plain');
  });
});

describe('a task that needs the caller\'s input (input_required, answered through tasks/result)', () => {
  it('relays the upstream\'s elicitation during tasks/result to the session that created the task', async () => {
    const asked: unknown[] = [];
    const client = new Client({ name: 'elicit', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } }, supportedProtocolVersions: ['2025-11-25'] });
    client.setRequestHandler('elicitation/create', async (req) => {
      asked.push(req.params);
      return { action: 'accept', content: { interpretation: 'technical' } };
    });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${suite.url}/servers/everything/mcp`)));
    try {
      const created = await raw(client)(
        { method: 'tools/call', params: { name: 'simulate-research-query', arguments: { topic: 'tides', ambiguous: true }, task: { ttl: 60_000 } } },
        specTypeSchemas.CreateTaskResult,
      );
      const taskId = (created.task as { taskId: string }).taskId;
      await eventually(async () => (await raw(client)({ method: 'tasks/get', params: { taskId } }, specTypeSchemas.GetTaskResult)).status === 'input_required', 20_000, 200);
      const result = await raw(client)({ method: 'tasks/result', params: { taskId } }, specTypeSchemas.GetTaskPayloadResult);
      expect(asked).toHaveLength(1);
      expect(JSON.stringify(result.content)).toContain('technical');
    } finally {
      await client.close();
    }
  });
});
