import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../src/config/index.js';

type Schema = { properties?: Record<string, Schema>; additionalProperties?: Schema | boolean; description?: string; [k: string]: unknown };

/** Every named property, at any depth, as [path, schema]. */
function allProperties(schema: Schema, path = ''): [string, Schema][] {
  const out: [string, Schema][] = [];
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    out.push([`${path}${key}`, child], ...allProperties(child, `${path}${key}.`));
  }
  if (typeof schema.additionalProperties === 'object') out.push(...allProperties(schema.additionalProperties, `${path}*.`));
  return out;
}

describe('configJsonSchema', () => {
  const schema = configJsonSchema() as Schema;

  it('is a draft 2020-12 object schema with the server maps', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties ?? {})).toEqual(expect.arrayContaining(['servers', 'mcpServers', 'listen', 'namespace', 'startup', 'upstream', 'http', 'reload']));
  });

  it('describes the server entry shape (strict, with name pattern and defaults)', () => {
    const servers = schema.properties?.servers as Schema;
    expect(servers.propertyNames).toEqual({ type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$' });
    const entry = servers.additionalProperties as Schema;
    expect(entry.additionalProperties).toBe(false);
    expect(Object.keys(entry.properties ?? {})).toEqual(expect.arrayContaining(['command', 'args', 'env', 'cwd', 'url', 'headers', 'transport', 'type', 'prefix', 'tools', 'timeoutMs', 'protocol', 'enabled']));
    expect(entry.oneOf).toEqual([{ required: ['command'] }, { required: ['url'] }]);
    expect(schema.properties?.listen?.properties?.port).toMatchObject({ type: 'integer', default: 3000 });
  });

  it('has a description on every field', () => {
    const props = allProperties(schema);
    expect(props.length).toBeGreaterThan(30);
    expect(props.filter(([, s]) => typeof s.description !== 'string' || s.description.length === 0).map(([p]) => p)).toEqual([]);
  });

  it('is plain JSON (survives a JSON round trip unchanged)', () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});
