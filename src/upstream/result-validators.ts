import type { Client } from '@modelcontextprotocol/client';

/** What the SDK's wire codec answers when asked to check a method's result. */
type CodecOutcome = { ok: true; value: unknown } | { ok: false; reason: string; message?: string };

interface WireCodec {
  validateResult(method: string, value: unknown): CodecOutcome;
}

/** A Standard Schema (standardschema.dev), the shape `Client.request` takes as its result schema. */
export interface ResultValidator {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    validate(value: unknown): { value: unknown } | { issues: { message: string }[] };
  };
}

/** Methods remembered per codec; the gateway sends spec methods only, this is a bound all the same. */
const MAX_METHODS = 64;

/**
 * Result validators made once per upstream connection and method. `Client.request` without a
 * schema makes one on every call, and first validates `undefined` against the method's result
 * schema to learn whether the method exists in the negotiated era: a zod parse that fails and
 * formats its error as text, on every upstream call (16 us of the gateway's 298 per echo call,
 * docs/performance.md). The validator below is the one the SDK would make (the same wire codec:
 * its era's decoding and its defaults, such as a tool result's `content`), made once.
 *
 * It reaches the codec through `_wireCodec()`, the accessor the SDK keeps for its role classes;
 * an SDK without it, or a connection not yet negotiated, gets no validator and `request()` makes
 * its own as before.
 */
export class ResultValidators {
  private codec: WireCodec | undefined;
  /** method -> its validator, or null for a method the era does not define (the SDK then refuses it itself). */
  private readonly byMethod = new Map<string, ResultValidator | null>();

  constructor(private readonly client: Client) {}

  for(method: string): ResultValidator | undefined {
    const codec = this.negotiatedCodec();
    if (!codec) return undefined;
    if (codec !== this.codec) {
      this.codec = codec;
      this.byMethod.clear();
    }
    let validator = this.byMethod.get(method);
    if (validator === undefined) {
      const probe = codec.validateResult(method, undefined);
      validator = !probe.ok && probe.reason === 'not-in-era' ? null : validatorFor(codec, method);
      if (this.byMethod.size < MAX_METHODS) this.byMethod.set(method, validator);
    }
    return validator ?? undefined;
  }

  private negotiatedCodec(): WireCodec | undefined {
    if (this.client.getNegotiatedProtocolVersion() === undefined) return undefined;
    const accessor = (this.client as unknown as { _wireCodec?: () => WireCodec })._wireCodec;
    return typeof accessor === 'function' ? accessor.call(this.client) : undefined;
  }
}

function validatorFor(codec: WireCodec, method: string): ResultValidator {
  return {
    '~standard': {
      version: 1,
      vendor: 'mcp-outlet',
      validate(value) {
        const outcome = codec.validateResult(method, value);
        if (outcome.ok) return { value: outcome.value };
        return { issues: [{ message: outcome.reason === 'invalid' ? (outcome.message ?? 'invalid result') : `not-in-era: ${method}` }] };
      },
    },
  };
}
