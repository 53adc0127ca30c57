import { GATEWAY_INFO } from '../../protocol/gateway-server.js';
import { listErrorResponses, SHARED_RESPONSES, SHARED_SCHEMAS, toolErrorResponses } from './openapi-components.js';
import { rebaseSchemaRefs } from './openapi-schema-refs.js';
import type { RestTool } from './rest-catalog.js';

export interface OpenApiOptions {
  /** The gateway's base URL as the caller reached it (the request's origin). */
  serverUrl: string;
  /** Set when requests need credentials: a bearer scheme is declared (optional when `anonymous`). */
  auth?: { anonymous: boolean };
}

/** The 3.1 patch release whose text the document follows (3.1.1 clarifies 3.1.0, same schema). */
const OPENAPI_VERSION = '3.1.1';

/**
 * An OpenAPI 3.1 description of the REST surface for the given tools (the caller's own view of
 * the catalog): `GET /api/tools`, and one `POST /api/tools/<name>` per tool whose request body is
 * the tool's input schema. Each tool schema becomes a component of its own with its local refs
 * re-based (openapi-schema-refs.ts), so `$defs` and recursion keep resolving.
 */
export function buildOpenApiDocument(tools: readonly RestTool[], options: OpenApiOptions): Record<string, unknown> {
  const auth = options.auth !== undefined;
  const schemas: Record<string, unknown> = { ...SHARED_SCHEMAS };
  const componentKeys = new UniqueNames(Object.keys(SHARED_SCHEMAS));
  const operationIds = new UniqueNames(['listTools']);
  const paths: Record<string, unknown> = {
    '/api/tools': {
      get: {
        operationId: 'listTools',
        summary: 'List the tools this caller may use',
        description: 'The merged catalog of every connected server, names namespaced, with their JSON Schemas.',
        tags: ['catalog'],
        responses: { '200': { description: 'The tools.', content: { 'application/json': { schema: { $ref: '#/components/schemas/ToolList' } } } }, ...listErrorResponses(auth) },
      },
    },
  };
  for (const tool of tools) {
    const key = componentKeys.take(`tool.${tool.name.replace(/[^A-Za-z0-9._-]/g, '_')}`);
    const input = `${key}.input`;
    schemas[input] = rebaseSchemaRefs(tool.inputSchema, `#/components/schemas/${input}`);
    let success: unknown = { $ref: '#/components/schemas/ToolCallSuccess' };
    if (tool.outputSchema !== undefined) {
      const output = `${key}.output`;
      schemas[output] = rebaseSchemaRefs(tool.outputSchema, `#/components/schemas/${output}`);
      success = { allOf: [success, { properties: { result: { properties: { structuredContent: { $ref: `#/components/schemas/${output}` } } } } }] };
    }
    paths[`/api/tools/${encodeURIComponent(tool.name)}`] = {
      post: {
        operationId: operationIds.take(tool.name.replace(/[^A-Za-z0-9_]/g, '_')),
        summary: tool.title ?? titleAnnotation(tool) ?? tool.name,
        ...(tool.description !== undefined ? { description: tool.description } : {}),
        tags: [tool.server],
        requestBody: {
          description: 'The tool arguments as a JSON object; an empty body is `{}`.',
          required: hasRequiredArguments(tool.inputSchema),
          content: { 'application/json': { schema: { $ref: `#/components/schemas/${input}` } } },
        },
        responses: {
          '200': { description: 'The tool ran; `result` is its MCP CallToolResult.', content: { 'application/json': { schema: success } } },
          ...toolErrorResponses(auth),
        },
        'x-mcp-tool': { name: tool.name, server: tool.server, ...(tool.annotations ? { annotations: tool.annotations } : {}) },
      },
    };
  }
  // A server named "catalog" shares the listing's tag rather than declaring the name twice.
  const servers = [...new Set(tools.map((t) => t.server))].filter((name) => name !== 'catalog').sort();
  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: 'mcp-outlet',
      version: GATEWAY_INFO.version,
      description: 'REST access to the tools of the MCP servers behind this gateway. Calls go through the same authorization, rate limits and argument checks as MCP calls.',
    },
    servers: [{ url: options.serverUrl }],
    tags: [{ name: 'catalog', description: 'The tool catalog.' }, ...servers.map((name) => ({ name, description: `Tools of the server "${name}".` }))],
    paths,
    components: {
      schemas,
      responses: SHARED_RESPONSES,
      ...(auth ? { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key or a JWT access token, as `Authorization: Bearer <credential>`.' } } } : {}),
    },
    // With anonymous access on, credentials are optional: the empty requirement says so.
    ...(auth ? { security: options.auth!.anonymous ? [{ bearer: [] }, {}] : [{ bearer: [] }] } : {}),
  };
}

function titleAnnotation(tool: RestTool): string | undefined {
  const title = tool.annotations?.title;
  return typeof title === 'string' ? title : undefined;
}

function hasRequiredArguments(schema: Record<string, unknown>): boolean {
  return Array.isArray(schema.required) && schema.required.length > 0;
}

/** Hands out names, suffixing `_2`, `_3`... where two tool names sanitize to the same one. */
class UniqueNames {
  private readonly taken: Set<string>;

  constructor(reserved: Iterable<string>) {
    this.taken = new Set(reserved);
  }

  take(wanted: string): string {
    let name = wanted;
    for (let n = 2; this.taken.has(name); n++) name = `${wanted}_${n}`;
    this.taken.add(name);
    return name;
  }
}
