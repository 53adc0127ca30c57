import type { UpstreamCall } from '../upstream/interceptors/types.js';
import type { Attributes } from './spans.js';

/**
 * The attributes an upstream span starts with. They depend only on the server, the method, the
 * upstream's tool or prompt name and the connection (its config and protocol version), so calls
 * that repeat the previous call's are given the same record, frozen: a span copies it before its
 * first own write (Span.setAttribute), which most never make. A steady workload then allocates and
 * keeps nothing here per call, where a record of nine fields was made per call and kept with every
 * stored trace.
 */
export class UpstreamAttributes {
  private last: { server: string; method: string; tool: string | undefined; config: object; version: string | undefined; attributes: Attributes } | undefined;

  constructor(
    /** The server entry as recorded on spans (redacted, serialized once per config object). */
    private readonly configText: (config: Record<string, unknown>) => string,
  ) {}

  for(call: UpstreamCall, tool: string | undefined): Attributes {
    const config = call.connection.config as unknown as Record<string, unknown> & { transport?: string };
    const version = call.connection.protocolVersion;
    const last = this.last;
    if (last && last.server === call.server && last.method === call.method && last.tool === tool && last.config === config && last.version === version) return last.attributes;
    const attributes: Attributes = Object.freeze({
      'mcp.method.name': call.method,
      'gen_ai.tool.name': call.method === 'tools/call' ? tool : undefined,
      'gen_ai.prompt.name': call.method === 'prompts/get' ? tool : undefined,
      'outlet.server': call.server,
      'outlet.upstream.transport': config.transport,
      'mcp.protocol.version': version,
      'outlet.server.config': this.configText(config),
      'outlet.console.lines': undefined,
      'outlet.console.dropped': undefined,
    });
    this.last = { server: call.server, method: call.method, tool, config, version, attributes };
    return attributes;
  }
}
