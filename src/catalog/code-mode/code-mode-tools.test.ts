import type { JsonSchemaType } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { describe, expect, it } from 'vitest';
import { toolsListTokens } from '../../shared/token-count.js';
import { CODE_MODE_TOOLS, EXECUTE_CODE, SEARCH_LIMIT, SEARCH_TOOLS } from './code-mode-tools.js';

const validator = new AjvJsonSchemaValidator();
const accepts = (schema: unknown, args: unknown) => validator.getValidator<unknown>(schema as JsonSchemaType)(args).valid;

describe('the code mode tools', () => {
  it('cost at most 300 o200k tokens together as a tools/list result', async () => {
    expect(await toolsListTokens(CODE_MODE_TOOLS)).toBeLessThanOrEqual(300);
  });

  it('are search_tools (read-only) and execute_code (open world, not read-only)', () => {
    expect(CODE_MODE_TOOLS.map((t) => t.name)).toEqual(['search_tools', 'execute_code']);
    expect(SEARCH_TOOLS.annotations).toEqual({ readOnlyHint: true });
    expect(EXECUTE_CODE.annotations).toEqual({ readOnlyHint: false, openWorldHint: true });
  });

  it('search_tools takes a query and a limit of 1..20', () => {
    const schema = SEARCH_TOOLS.inputSchema;
    expect(accepts(schema, { query: 'read file' })).toBe(true);
    expect(accepts(schema, { query: '', limit: SEARCH_LIMIT.max })).toBe(true);
    expect(accepts(schema, {})).toBe(false);
    for (const limit of [0, 21, 2.5, '5']) expect(accepts(schema, { query: 'x', limit })).toBe(false);
    expect((schema.properties as Record<string, { default?: unknown }>).limit!.default).toBe(5);
  });

  it('execute_code takes the program as `code`', () => {
    expect(accepts(EXECUTE_CODE.inputSchema, { code: 'return 1' })).toBe(true);
    expect(accepts(EXECUTE_CODE.inputSchema, { code: 1 })).toBe(false);
    expect(accepts(EXECUTE_CODE.inputSchema, {})).toBe(false);
  });

  it('tell a model how to call tools, what calls and runs return, the state store and that limits exist', () => {
    for (const phrase of ['await tools["name"](args)', 'structuredContent', 'else its text', 'throws', 'console.log', 'return', 'state.get(key)', 'state.set(key, value)', 'state.delete(key)', 'limited']) {
      expect(EXECUTE_CODE.description).toContain(phrase);
    }
    expect(SEARCH_TOOLS.description).toContain('execute_code');
  });

  it('cannot be changed by a caller that shares them', () => {
    expect(() => {
      (SEARCH_TOOLS.inputSchema as Record<string, unknown>).required = [];
    }).toThrow(TypeError);
  });
});
