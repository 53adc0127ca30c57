import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttpClient } from '../helpers/outlet.js';
import { randomHex, SECRET, startObserved, traceparent, type Observed } from './helpers.js';

let observed: Observed;
let client: Client;
const dir = mkdtempSync(join(tmpdir(), 'outlet-audit-'));

const CONFIG = { redact: { patterns: ['ACME-[0-9]{6}'] } };
const ARGS = {
  user: 'ann',
  password: SECRET,
  note: 'customer ACME-123456 asked to use token=abcd1234efgh5678',
  headers: { Authorization: 'Bearer abcdefgh12345678' },
  count: 3,
};
const LEAKS = [SECRET, 'ACME-123456', 'abcd1234efgh5678', 'abcdefgh12345678'];

function expectNoLeak(text: string): void {
  for (const leak of LEAKS) expect(text).not.toContain(leak);
}

beforeAll(async () => {
  observed = await startObserved(CONFIG);
  client = await connectHttpClient(`${observed.outlet.url}/mcp`, '2025-11-25');
});

afterAll(async () => {
  await client?.close();
  await observed?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a secret in the arguments of a call whose upstream echoes them back and prints them', () => {
  const traceId = randomHex(16);
  let resultText: string;

  beforeAll(async () => {
    observed.logs.length = 0;
    observed.audit.length = 0;
    const result = await client.callTool({ name: 'obs__login', arguments: ARGS, _meta: { traceparent: traceparent(traceId, randomHex(8)) } });
    resultText = (result.content as { text: string }[])[0]!.text;
  });

  it('still reaches the upstream untouched (redaction is for records, not for the call)', () => {
    expect(resultText).toContain(SECRET);
    expect(resultText).toContain('ACME-123456');
  });

  it('never appears in the trace: payloads, console lines, config', () => {
    const tree = observed.handle.getTrace(traceId)!;
    const text = JSON.stringify(tree);
    expectNoLeak(text);
    const root = tree.roots[0]!;
    const request = String(root.attributes['outlet.request.payload']);
    expect(request).toContain('"password":"[REDACTED]"');
    expect(request).toContain('"Authorization":"[REDACTED]"');
    expect(request).toContain('customer [REDACTED] asked to use token=[REDACTED]');
    expect(request).toContain('"user":"ann"');
    // The upstream echoed the secret inside a text result and on stderr: scrubbed by value.
    expect(String(root.attributes['outlet.response.payload'])).toContain('logged in with');
    const line = root.children[0]!.events.find((e) => e.name === 'console')!;
    expect(line.attributes['console.line']).toMatch(/^login: .*"password":"\[REDACTED\]"/);
  });

  it('never appears in the application log, which has one line for the call', () => {
    const calls = observed.logs.filter((l) => l.msg === 'tool call');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ level: 30, server: 'obs', tool: 'obs__login', success: true, traceId, reqId: expect.any(String), session: expect.any(String) });
    expect(calls[0]!.latency_ms).toBeGreaterThan(0);
    expectNoLeak(JSON.stringify(observed.logs));
  });

  it('is recorded in the audit stream by shape only', () => {
    expect(observed.audit).toHaveLength(1);
    expectNoLeak(observed.audit[0]!);
    const record = JSON.parse(observed.audit[0]!) as Record<string, unknown>;
    expect(record).toMatchObject({
      event: 'mcp.request',
      principal: null,
      method: 'tools/call',
      endpoint: 'aggregate',
      server: 'obs',
      tool: 'obs__login',
      traceId,
      outcome: 'ok',
      argumentShape: { user: 'string', password: 'string', note: 'string', headers: { Authorization: 'string' }, count: 'integer' },
    });
    expect(record).not.toHaveProperty('arguments');
    expect(record.session).toMatchObject({ transport: 'streamable-http', era: 'legacy' });
  });
});

describe('tool-call log lines for failures', () => {
  it('say success false with the error', async () => {
    observed.logs.length = 0;
    await client.callTool({ name: 'obs__fail', arguments: {} });
    await expect(client.callTool({ name: 'obs__nope', arguments: { password: SECRET } })).rejects.toThrow();
    const [toolError, gatewayError] = observed.logs.filter((l) => l.msg === 'tool call');
    expect(toolError).toMatchObject({ tool: 'obs__fail', server: 'obs', success: false, error: expect.stringMatching(/isError/) });
    expect(gatewayError).toMatchObject({ tool: 'obs__nope', success: false, code: 'UNKNOWN_TOOL', error: expect.stringMatching(/Unknown tool/) });
    expectNoLeak(JSON.stringify(observed.logs));
  });
});

describe('audit with values', () => {
  it('records the arguments, redacted', async () => {
    await observed.install({ ...CONFIG, audit: { values: true } });
    observed.audit.length = 0;
    await client.callTool({ name: 'obs__login', arguments: ARGS });
    expect(observed.audit).toHaveLength(1);
    expectNoLeak(observed.audit[0]!);
    const record = JSON.parse(observed.audit[0]!) as { arguments: Record<string, unknown> };
    expect(record.arguments).toEqual({
      user: 'ann',
      password: '[REDACTED]',
      note: 'customer [REDACTED] asked to use token=[REDACTED]',
      headers: { Authorization: '[REDACTED]' },
      count: 3,
    });
  });

  it('leaves list requests out unless asked', async () => {
    observed.audit.length = 0;
    await client.listTools();
    expect(observed.audit).toEqual([]);
  });
});

describe('audit to a file', () => {
  it('writes JSON lines apart from the application log', async () => {
    const path = join(dir, 'nested', 'audit.jsonl');
    await observed.install({ ...CONFIG, audit: { path } }, { auditSink: undefined });
    observed.logs.length = 0;
    await client.callTool({ name: 'obs__login', arguments: ARGS });
    await client.callTool({ name: 'obs__echo_meta', arguments: {} });
    await observed.handle.close();
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expectNoLeak(lines.join('\n'));
    expect(lines.map((l) => (JSON.parse(l) as { tool: string }).tool)).toEqual(['obs__login', 'obs__echo_meta']);
    // The application log has its tool-call lines, and no audit records.
    expect(observed.logs.filter((l) => l.msg === 'tool call')).toHaveLength(2);
    expect(observed.logs.some((l) => l.event === 'mcp.request')).toBe(false);
    await observed.install(CONFIG);
  });
});
