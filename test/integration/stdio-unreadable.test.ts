import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTLET_BIN, REPO_ROOT, TINY } from '../helpers/servers.js';

// `outlet stdio` spoken to by hand, line by line: a line that cannot be read gets a JSON-RPC
// error with a null id (JSON-RPC 2.0, section 5.1) instead of silence, and the connection goes on.
let child: ChildProcessWithoutNullStreams;
const answers: Record<string, unknown>[] = [];
let waiters: (() => void)[] = [];

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'outlet-stdio-raw-'));
  const config = join(dir, 'outlet.config.json');
  writeFileSync(config, JSON.stringify({ servers: { tiny: { command: process.execPath, args: [TINY], env: { TINY_TOOLS: 'echo' } } } }));
  child = spawn(process.execPath, [OUTLET_BIN, 'stdio', '--config', config], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', OUTLET_LOG_LEVEL: 'silent' } });
  createInterface({ input: child.stdout }).on('line', (line) => {
    answers.push(JSON.parse(line) as Record<string, unknown>);
    for (const w of waiters) w();
    waiters = [];
  });
});

afterAll(() => {
  child?.kill('SIGTERM');
});

/** The next answer (notifications such as list_changed are skipped). */
async function next(): Promise<Record<string, unknown>> {
  for (;;) {
    while (answers.length === 0) await new Promise<void>((resolve) => waiters.push(resolve));
    const message = answers.shift()!;
    if (!('method' in message)) return message;
  }
}

const send = (line: string) => child.stdin.write(`${line}\n`);

describe('outlet stdio and unreadable lines', () => {
  it('answers text that is not JSON with -32700 and a null id', async () => {
    send('{"jsonrpc": "2.0", "id": 1, "method":');
    expect(await next()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
  });

  it('answers JSON that is not JSON-RPC with -32600', async () => {
    send('{"hello": "world"}');
    expect(await next()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600 } });
  });

  it('still serves the session afterwards', async () => {
    send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }));
    expect(await next()).toMatchObject({ id: 1, result: { protocolVersion: '2025-11-25' } });
    send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'tiny__echo', arguments: { a: 1 } } }));
    expect(await next()).toMatchObject({ id: 2, result: { content: [{ type: 'text' }] } });
  });
});
