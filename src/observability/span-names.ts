/** Names kept in all; past this, names are built per span (a flood of made-up tool names stays bounded). */
const MAX_NAMES = 4096;

/**
 * The names of the inbound and upstream spans, each made once. A name built per call is a chain
 * of concatenated strings (one object per `+`), allocated on the hot path and kept with its span
 * for as long as the trace is; a gateway sees few distinct methods, servers and tools.
 */
export class SpanNames {
  private size = 0;
  /** method -> tool or prompt -> name. */
  private readonly inbound = new Map<string, Map<string, string>>();
  /** method -> name, for requests without a tool or prompt. */
  private readonly inboundBare = new Map<string, string>();
  /** server -> method -> the upstream's tool or prompt name -> name. */
  private readonly upstream = new Map<string, Map<string, Map<string, string>>>();
  /** server -> method -> name, for calls without a tool or prompt. */
  private readonly upstreamBare = new Map<string, Map<string, string>>();

  /**
   * The last name given, with what it was given for: a steady workload asks for the same names
   * again and again, and two string comparisons cost less than the nested lookups (each hashing a
   * string the request parse made new).
   */
  private readonly lastInbound = { method: undefined as string | undefined, target: undefined as string | undefined, name: '' };
  private readonly lastUpstream = { server: undefined as string | undefined, method: '', tool: undefined as string | undefined, name: '' };

  /** `mcp <method> <tool or prompt>`, or `mcp <method>`. */
  inboundName(method: string, target: string | undefined): string {
    const last = this.lastInbound;
    if (last.method === method && last.target === target) return last.name;
    const name = this.findInbound(method, target);
    last.method = method;
    last.target = target;
    return (last.name = name);
  }

  /** `upstream <server> <method> <upstream's tool or prompt name>`, or `upstream <server> <method>`. */
  upstreamName(server: string, method: string, tool: string | undefined): string {
    const last = this.lastUpstream;
    if (last.server === server && last.method === method && last.tool === tool) return last.name;
    const name = this.findUpstream(server, method, tool);
    last.server = server;
    last.method = method;
    last.tool = tool;
    return (last.name = name);
  }

  private findInbound(method: string, target: string | undefined): string {
    if (target === undefined) {
      const found = this.inboundBare.get(method);
      if (found !== undefined) return found;
      const name = `mcp ${method}`;
      if (this.room()) this.inboundBare.set(method, name);
      return name;
    }
    const found = this.inbound.get(method)?.get(target);
    if (found !== undefined) return found;
    const name = `mcp ${method} ${target}`;
    if (this.room()) level(this.inbound, method).set(target, name);
    return name;
  }

  private findUpstream(server: string, method: string, tool: string | undefined): string {
    if (tool === undefined) {
      const found = this.upstreamBare.get(server)?.get(method);
      if (found !== undefined) return found;
      const name = `upstream ${server} ${method}`;
      if (this.room()) level(this.upstreamBare, server).set(method, name);
      return name;
    }
    const found = this.upstream.get(server)?.get(method)?.get(tool);
    if (found !== undefined) return found;
    const name = `upstream ${server} ${method} ${tool}`;
    if (this.room()) level(level(this.upstream, server), method).set(tool, name);
    return name;
  }

  /** True (and counted) when one more name may be kept. */
  private room(): boolean {
    if (this.size >= MAX_NAMES) return false;
    this.size++;
    return true;
  }
}

function level<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let next = map.get(key);
  if (!next) map.set(key, (next = new Map()));
  return next;
}
