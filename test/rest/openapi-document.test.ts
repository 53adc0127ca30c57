import { Validator } from '@seriousme/openapi-schema-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVERYTHING } from '../helpers/servers.js';
import { suiteGateway } from '../helpers/suite-gateway.js';
import { getJson, SCHEMA_SERVER } from './helpers.js';

// GET /openapi.json from a real gateway (server-everything's many tools, and a server whose
// schemas use $defs and recursion), checked against the official OpenAPI 3.1 JSON Schema
// bundled by @seriousme/openapi-schema-validator, which also checks that every $ref resolves.
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let doc: Doc;
let listed: Array<{ name: string; server: string; inputSchema: Record<string, unknown> }>;

const suite = suiteGateway(
  {
    servers: {
      everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] },
      schemas: { command: process.execPath, args: [SCHEMA_SERVER] },
    },
  },
  { ready: true },
);

beforeAll(async () => {
  const res = await getJson<Doc>(suite.gw.fetch, '/openapi.json');
  expect(res.status).toBe(200);
  doc = res.body;
  listed = (await getJson<{ tools: typeof listed }>(suite.gw.fetch, '/api/tools')).body.tools;
});

/** Validates a copy (the validator keeps, and resolving rewrites, the object it is given). */
async function validate(document: unknown): Promise<{ valid: boolean; errors?: unknown; validator: Validator }> {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(document) as Record<string, unknown>);
  return { ...result, validator };
}

const requestSchemaOf = (d: Doc, tool: string) => d.paths[`/api/tools/${tool}`].post.requestBody.content['application/json'].schema;

describe('the generated document', () => {
  it('is valid OpenAPI 3.1 by the official schema, with every $ref resolving', async () => {
    expect(Validator.supportedVersions.has('3.1')).toBe(true);
    const { valid, errors, validator } = await validate(doc);
    expect(errors).toBeUndefined();
    expect(valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('describes the gateway: title, the origin the request came to, GET /api/tools', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: 'mcp-outlet', version: expect.any(String) });
    expect(doc.servers).toEqual([{ url: suite.url }]);
    expect(doc.paths['/api/tools'].get).toMatchObject({ operationId: 'listTools', responses: { '200': expect.any(Object) } });
    // No auth configured: no security scheme, no 401.
    expect(doc.components.securitySchemes).toBeUndefined();
    expect(doc.security).toBeUndefined();
  });

  it('has one POST operation per tool of the catalog, with unique operationIds derived from the names', () => {
    expect(listed.length).toBeGreaterThan(10);
    const posts = Object.entries(doc.paths as Doc).filter(([, item]) => item.post);
    expect(posts.map(([path]) => path).sort()).toEqual(listed.map((t) => `/api/tools/${t.name}`).sort());
    const ids = [doc.paths['/api/tools'].get.operationId, ...posts.map(([, item]) => item.post.operationId)];
    expect(new Set(ids).size).toBe(ids.length);
    const echo = doc.paths['/api/tools/everything__echo'].post;
    expect(echo).toMatchObject({ operationId: 'everything__echo', tags: ['everything'], 'x-mcp-tool': { name: 'everything__echo', server: 'everything' } });
    // Names outside [A-Za-z0-9_] are made safe for code generators.
    expect(doc.paths['/api/tools/everything__get-sum'].post.operationId).toBe('everything__get_sum');
  });

  it('takes each request body schema from the tool as published, and shares the error responses', () => {
    for (const tool of listed) {
      const ref: string = requestSchemaOf(doc, tool.name).$ref;
      expect(ref).toMatch(/^#\/components\/schemas\/tool\./);
      const component = doc.components.schemas[ref.slice('#/components/schemas/'.length)];
      // Without local references there is nothing to re-base: the schema is the tool's own.
      if (!JSON.stringify(tool.inputSchema).includes('"$ref":"#')) expect(component).toEqual(tool.inputSchema);
    }
    const responses = doc.paths['/api/tools/everything__echo'].post.responses;
    for (const status of ['400', '404', '413', '422', '429', '502', '503', '504', 'default']) expect(responses[status].$ref).toMatch(/^#\/components\/responses\//);
    expect(doc.components.responses.ToolError.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ToolCallFailure' });
    expect(responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ToolCallSuccess' });
    expect(doc.components.schemas.ToolCallSuccess.required).toEqual(['success', 'result', 'latency_ms']);
    expect(doc.components.schemas.ToolCallFailure.required).toEqual(['success', 'error', 'code', 'latency_ms']);
  });

  it('keeps $defs and recursive references working once the schema sits under components', async () => {
    const component = doc.components.schemas['tool.schemas__tree_size.input'];
    expect(component.properties.tree.$ref).toBe('#/components/schemas/tool.schemas__tree_size.input/$defs/__schema0');
    expect(component.$defs.__schema0.properties.children.items.$ref).toBe('#/components/schemas/tool.schemas__tree_size.input/$defs/__schema0');
    const { validator } = await validate(doc);
    const body = requestSchemaOf(validator.resolveRefs() as Doc, 'schemas__tree_size');
    // Dereferenced, the tree is the $defs entry, and a child of a tree is a tree again.
    expect(body.properties.tree).toBe(body.$defs.__schema0);
    expect(body.properties.tree.properties.children.items).toBe(body.properties.tree);
    // A tool with an output schema declares it as the result's structuredContent.
    const route = doc.paths['/api/tools/schemas__route'].post.responses['200'].content['application/json'].schema;
    expect(JSON.stringify(route)).toContain('#/components/schemas/tool.schemas__route.output');
  });
});

describe('the validator', () => {
  it('rejects a broken document: a required field missing', async () => {
    const { info: _info, ...noInfo } = doc;
    const result = await validate(noInfo);
    expect(result.valid).toBe(false);
    expect(JSON.stringify(result.errors)).toContain("must have required property 'info'");
  });

  it('rejects a broken document: a request body without content, a path not starting with /, a bad version', async () => {
    const noContent = structuredClone(doc);
    delete noContent.paths['/api/tools/everything__echo'].post.requestBody.content;
    expect((await validate(noContent)).valid).toBe(false);
    const badPath = structuredClone(doc);
    badPath.paths['api/tools/x'] = badPath.paths['/api/tools/everything__echo'];
    expect((await validate(badPath)).valid).toBe(false);
    expect((await validate({ ...doc, openapi: 3.1 })).valid).toBe(false);
    // The same checks on the untouched document pass (the failures above are the edits').
    expect((await validate(doc)).valid).toBe(true);
  });

  it('rejects the tool schema copied in as is: its #/$defs refs would point at the document root', async () => {
    const naive = structuredClone(doc);
    naive.components.schemas['tool.schemas__tree_size.input'] = listed.find((t) => t.name === 'schemas__tree_size')!.inputSchema;
    const result = await validate(naive);
    expect(result.valid).toBe(false);
    expect(String(result.errors)).toContain("Can't resolve #/$defs/__schema0");
  });
});
