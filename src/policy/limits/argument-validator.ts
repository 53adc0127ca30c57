import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { OutletError } from '../../errors/index.js';

type Compiled = JsonSchemaValidator<unknown> | { broken: string };

/**
 * Checks tool-call arguments against the tool's `inputSchema` before the call is forwarded, with
 * the SDK's JSON Schema validator (Ajv behind its `jsonSchemaValidator` interface: 2020-12 by
 * default, draft-07 and 2019-09 when the schema declares them). Compiled validators are kept per
 * schema object, which the catalog shares until the tool list changes.
 *
 * A schema the validator cannot compile is not the caller's fault: the call goes through (the
 * upstream validates as it always did) and `onBrokenSchema` is told once.
 */
export class ArgumentValidator {
  private readonly compiled = new WeakMap<object, Compiled>();

  constructor(
    private readonly provider: jsonSchemaValidator = new AjvJsonSchemaValidator(),
    private readonly onBrokenSchema?: (tool: string, reason: string) => void,
  ) {}

  /** Throws INVALID_PARAMS (-32602) naming the first failing path; returns when the arguments fit. */
  check(tool: string, schema: Record<string, unknown> | undefined, args: unknown): void {
    if (!schema || typeof schema !== 'object') return;
    let validator = this.compiled.get(schema);
    if (!validator) {
      try {
        validator = this.provider.getValidator<unknown>(schema as JsonSchemaType);
      } catch (err) {
        validator = { broken: (err as Error).message };
        this.onBrokenSchema?.(tool, validator.broken);
      }
      this.compiled.set(schema, validator);
    }
    if ('broken' in validator) return;
    const result = validator(args ?? {});
    if (result.valid) return;
    const { path, message } = firstProblem(result.errorMessage);
    throw new OutletError('INVALID_PARAMS', `params.arguments${path}: ${message} (tool "${tool}" input schema)`, {
      path: `params.arguments${path}`,
      tool,
      errors: result.errorMessage,
    });
  }
}

/**
 * The first problem of Ajv's error text ("data/items/0 must be string, data must have required
 * property 'x'") as a dotted path under params.arguments and its message.
 */
function firstProblem(text: string): { path: string; message: string } {
  const first = text.split(/, (?=data\b)/)[0] ?? text;
  const m = /^data((?:\/[^\s]*)?)\s+(.*)$/s.exec(first);
  if (!m) return { path: '', message: first };
  const pointer = m[1] ?? '';
  const path = pointer
    .split('/')
    .filter(Boolean)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((seg) => (/^\d+$/.test(seg) ? `[${seg}]` : /^[A-Za-z_$][\w$]*$/.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`))
    .join('');
  // "must have required property 'x'" names the missing key: point at it.
  const missing = /^must have required property '(.+)'$/.exec(m[2] ?? '');
  if (missing) return { path: `${path}.${missing[1]}`, message: 'is required' };
  return { path, message: m[2] ?? first };
}
