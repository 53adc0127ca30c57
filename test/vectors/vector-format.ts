import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** Every deployment form a vector can run on (README.md, "Forms"). */
export const FORMS = ['node', 'lambda-v1', 'lambda-v2', 'lambda-url', 'fetch', 'gcf', 'azure', 'stdio'] as const;
export type FormName = (typeof FORMS)[number];

/** Names for several forms at once. */
const GROUPS: Record<string, readonly FormName[]> = {
  all: FORMS,
  http: FORMS.filter((f) => f !== 'stdio'),
  lambda: ['lambda-v1', 'lambda-v2', 'lambda-url'],
};

const requestSchema = z.strictObject({
  method: z.string().optional(),
  path: z.string().startsWith('/'),
  headers: z.record(z.string(), z.string()).optional(),
  /** A JSON value, sent as its JSON text. */
  body: z.unknown().optional(),
  /** Text sent byte for byte (a body that is not JSON on purpose). */
  rawBody: z.string().optional(),
});

const expectSchema = z.strictObject({
  status: z.int().optional(),
  headers: z.record(z.string(), z.unknown()).optional(),
  body: z.unknown().optional(),
});

const stepSchema = z.strictObject({ request: requestSchema, expect: expectSchema });

const vectorSchema = z
  .strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    forms: z.array(z.enum([...FORMS, ...Object.keys(GROUPS)] as [string, ...string[]])).min(1).optional(),
    request: requestSchema.optional(),
    expect: expectSchema.optional(),
    steps: z.array(stepSchema).min(1).optional(),
  })
  .refine((v) => (v.steps ? !v.request && !v.expect : !!v.request && !!v.expect), {
    message: 'a vector has either "request" and "expect", or "steps"',
  });

export type VectorRequest = z.infer<typeof requestSchema>;
export type VectorExpect = z.infer<typeof expectSchema>;
export type VectorStep = z.infer<typeof stepSchema>;

export interface Vector {
  file: string;
  name: string;
  forms: ReadonlySet<FormName>;
  steps: VectorStep[];
}

/** The HTTP method of a request: as written, else POST with a body and GET without. */
export const methodOf = (req: VectorRequest): string => req.method ?? (req.body !== undefined || req.rawBody !== undefined ? 'POST' : 'GET');

/**
 * What `outlet stdio` can be sent: a JSON-RPC message POSTed to the aggregate endpoint. A vector
 * left to run everywhere that does something else must say where it runs, rather than be
 * quietly left out on stdio.
 */
function stdioProblem(steps: VectorStep[]): string | undefined {
  for (const [i, { request, expect }] of steps.entries()) {
    if (request.body === undefined || methodOf(request) !== 'POST' || request.path !== '/mcp') {
      return `step ${i + 1} is not a JSON-RPC POST to /mcp, so it cannot run on stdio: list the forms it runs on (e.g. "forms": ["http"])`;
    }
    const isRequest = typeof request.body === 'object' && request.body !== null && 'id' in request.body;
    if (!isRequest && expect.body !== undefined) return `step ${i + 1} expects a body for a notification, which stdio never answers`;
  }
  return undefined;
}

/** Reads, checks and normalizes one vector file (a `request`/`expect` pair becomes one step). */
export function parseVector(file: string, text: string): Vector {
  const parsed = vectorSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
  const v = parsed.data;
  const steps = v.steps ?? [{ request: v.request!, expect: v.expect! }];
  const forms = new Set((v.forms ?? ['all']).flatMap((f) => GROUPS[f] ?? [f as FormName]));
  const problem = forms.has('stdio') ? stdioProblem(steps) : undefined;
  if (problem) throw new Error(`${file} ("${v.name}"): ${problem}`);
  return { file, name: v.name, forms, steps };
}

/** Every vector in a directory, in file-name order. */
export function loadVectors(dir: string): Vector[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => parseVector(f, readFileSync(join(dir, f), 'utf8')));
}
