import type * as FastCheck from 'fast-check';
import type { JsonSchemaType, Tool } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { compactToolSchemas } from '../catalog/code-mode/schema-compaction.js';
import { inputArbitrary } from './schema-arbitrary.js';

/** fast-check's functions, however it was imported (its namespace or its default export). */
type Fc = Omit<typeof FastCheck, 'default'>;
type SchemaKey = 'inputSchema' | 'outputSchema';

/** One schema of one tool checked: compacted against original, over `runs` generated inputs. */
export interface SchemaCheck {
  tool: string;
  schema: SchemaKey;
  /** `same`: compaction left it as it was (nothing to check); `uncompiled`: neither compiles. */
  outcome: 'equivalent' | 'mismatch' | 'same' | 'uncompiled';
  /** Generated inputs the original accepted and rejected: a corpus all on one side would prove little. */
  accepted: number;
  rejected: number;
  /** For a mismatch: the (shrunk) input the two disagree on, and what each said; or why one did not compile. */
  detail?: string;
}

export interface CheckOptions {
  runs: number;
  seed: number;
}

/**
 * Checks that each compacted schema accepts and rejects what the original does, with the SDK's
 * Ajv provider (the one the gateway validates arguments with) over inputs fast-check generates
 * from the two schemas. A fresh provider per side: Ajv keeps compiled schemas by `$id`, and
 * a compacted schema keeping its original's `$id` would otherwise be answered by the original.
 */
export function checkToolCompaction(fc: Fc, tool: Tool, options: CheckOptions): SchemaCheck[] {
  const compact = compactToolSchemas(tool);
  const checks: SchemaCheck[] = [];
  for (const key of ['inputSchema', 'outputSchema'] as const) {
    const original = tool[key];
    if (original === undefined) continue;
    checks.push(compareSchemas(fc, { tool: tool.name, schema: key }, original, compact[key], options));
  }
  return checks;
}

/**
 * One schema against its rewrite: `same` when it is the very object, else compiled both and run
 * over `options.runs` inputs generated from either; the first disagreement is shrunk.
 */
export function compareSchemas(fc: Fc, label: { tool: string; schema: SchemaKey }, original: object, compacted: object | undefined, options: CheckOptions): SchemaCheck {
  const base = { ...label, accepted: 0, rejected: 0 };
  if (compacted === original) return { ...base, outcome: 'same' };
  const before = compile(original);
  const after = compacted === undefined ? { error: 'the compacted tool has no such schema' } : compile(compacted);
  if ('error' in before) {
    if ('error' in after) return { ...base, outcome: 'uncompiled', detail: before.error };
    return { ...base, outcome: 'mismatch', detail: `only the compacted schema compiles (original: ${before.error})` };
  }
  if ('error' in after) return { ...base, outcome: 'mismatch', detail: `the compacted schema does not compile: ${after.error}` };
  let accepted = 0;
  let rejected = 0;
  const agree = (input: unknown) => {
    const a = before.validate(input);
    if (a) accepted++;
    else rejected++;
    return a === after.validate(input);
  };
  // Inputs shaped by either schema: a rewrite that widens (an enum value added) is only caught by
  // values the original's shape would never produce.
  const inputs = fc.oneof(inputArbitrary(fc, original), inputArbitrary(fc, compacted));
  const run = fc.check(fc.property(inputs, agree), { numRuns: options.runs, seed: options.seed });
  if (!run.failed || !run.counterexample) return { ...base, accepted, rejected, outcome: 'equivalent' };
  const [input] = run.counterexample;
  const said = (ok: boolean) => (ok ? 'accepts' : 'rejects');
  return { ...base, accepted, rejected, outcome: 'mismatch', detail: `${JSON.stringify(input)}: original ${said(before.validate(input))}, compacted ${said(after.validate(input))}` };
}

function compile(schema: object): { validate: (input: unknown) => boolean } | { error: string } {
  try {
    const validator = new AjvJsonSchemaValidator().getValidator(schema as JsonSchemaType);
    return { validate: (input) => validator(input).valid };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}
