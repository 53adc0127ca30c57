import type { ObservedUpstreamCall } from './observed-upstream.js';
import type { Attributes } from './spans.js';

/**
 * The attributes an upstream span starts with. They depend only on the server, the method, the
 * upstream's tool or prompt name and the connection (its config and protocol version), so a call
 * that repeats the previous call's inputs is given a record shared with the calls that do the
 * same, frozen: a span copies it before its first own write (Span.setAttribute), which most never
 * make. A steady workload then allocates and keeps nothing here per call, where a record of nine
 * fields was made per call and kept with every stored trace; a workload that changes inputs from
 * call to call gets a record of its own per call, as before, and nothing frozen.
 */
export class UpstreamAttributes {
  /** The last call's inputs, updated in place, and the record shared by the calls that repeated them (made at the first repeat). */
  private readonly last = { server: '', method: '', tool: undefined as string | undefined, config: undefined as object | undefined, version: undefined as string | undefined, shared: undefined as Attributes | undefined };

  constructor(
    /** The server entry as recorded on spans (redacted, serialized once per config object). */
    private readonly configText: (config: Record<string, unknown>) => string,
  ) {}

  for(call: ObservedUpstreamCall, tool: string | undefined): Attributes {
    const config = call.connection.config as Record<string, unknown> & { transport?: string };
    const version = call.connection.protocolVersion;
    const last = this.last;
    if (last.config === config && last.server === call.server && last.method === call.method && last.tool === tool && last.version === version) {
      return (last.shared ??= Object.freeze(this.record(call, tool, config, version)));
    }
    last.server = call.server;
    last.method = call.method;
    last.tool = tool;
    last.config = config;
    last.version = version;
    last.shared = undefined;
    return this.record(call, tool, config, version);
  }

  private record(call: ObservedUpstreamCall, tool: string | undefined, config: Record<string, unknown> & { transport?: string }, version: string | undefined): Attributes {
    return {
      'mcp.method.name': call.method,
      'gen_ai.tool.name': call.method === 'tools/call' ? tool : undefined,
      'gen_ai.prompt.name': call.method === 'prompts/get' ? tool : undefined,
      'outlet.server': call.server,
      'outlet.upstream.transport': config.transport,
      'mcp.protocol.version': version,
      'outlet.server.config': this.configText(config),
      'outlet.console.lines': undefined,
      'outlet.console.dropped': undefined,
    };
  }
}
