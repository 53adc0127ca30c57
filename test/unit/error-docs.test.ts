import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_TABLE, OutletError } from '../../src/errors/index.js';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

describe('docs/errors.md', () => {
  it.each(Object.entries(ERROR_TABLE))('documents %s with its JSON-RPC code and HTTP status', (code, entry) => {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
    expect(row, `no row for ${code}`).toBeDefined();
    const cells = row!.split('|').map((c) => c.trim());
    expect(Number(cells[2])).toBe(entry.rpc);
    expect(Number(cells[3])).toBe(entry.http);
  });

  it('lists no code that the table does not have', () => {
    const documented = [...doc.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(ERROR_TABLE).sort());
  });
});

describe('error table', () => {
  it('never uses a JSON-RPC code MCP reserves for itself', () => {
    const reserved = new Set([-32002, -32020, -32021, -32022, -32042]);
    for (const entry of Object.values(ERROR_TABLE)) expect(reserved.has(entry.rpc)).toBe(false);
  });

  it('maps upstream faults to 5xx so the client is never blamed', () => {
    for (const code of ['UPSTREAM_UNAVAILABLE', 'UPSTREAM_CLOSED', 'UPSTREAM_TIMEOUT', 'UPSTREAM_ERROR'] as const) {
      expect(ERROR_TABLE[code].http).toBeGreaterThanOrEqual(500);
    }
  });

  it('puts the gateway code on the wire', () => {
    const err = new OutletError('UNKNOWN_TOOL', 'Unknown tool "x"', { tool: 'x' });
    expect(err.toJsonRpcError()).toEqual({ code: -32602, message: 'Unknown tool "x"', data: { outletCode: 'UNKNOWN_TOOL', tool: 'x' } });
    expect(err.httpStatus).toBe(404);
  });
});
