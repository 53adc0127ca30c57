import type { Catalog } from '../../catalog/index.js';
import type { RequestScope } from '../call-context.js';
import type { AccessRequest } from './policy-engine.js';

/** What target resolution needs of the running gateway. */
export interface TargetSource {
  /** The merged catalog as of now. */
  catalog(): Catalog | undefined;
  /** Namespace separator ("__"). */
  separator(): string;
  /** Every enabled server's namespace prefix, by server name. */
  prefixes(): ReadonlyMap<string, string>;
}

/** A tool or prompt as policies and pins see it: its server, own name and published name. */
export interface NamedTarget {
  server?: string;
  /** The upstream's own name. */
  name: string;
  /** The name on the aggregated endpoint (`<prefix><separator><name>`), which policies match. */
  published: string;
}

/**
 * Maps requests and list entries to what policies and pins reason about. Policies are written
 * against the aggregated endpoint's names (`fs__read_file`) so one rule covers `/mcp` and
 * `/servers/fs/mcp` alike; a per-server request's own name is translated to that form.
 */
export class TargetResolver {
  constructor(private readonly source: TargetSource) {}

  /** A tool or prompt named on an endpoint of `scope`. */
  named(scope: RequestScope, kind: 'tool' | 'prompt', name: string): NamedTarget {
    const sep = this.source.separator();
    if (scope.kind === 'server') {
      const prefix = this.source.prefixes().get(scope.server) ?? scope.server;
      return { server: scope.server, name, published: `${prefix}${sep}${name}` };
    }
    const catalog = this.source.catalog();
    try {
      const route = kind === 'tool' ? catalog?.resolveTool(name) : catalog?.resolvePrompt(name);
      if (route) return { server: route.server, name: route.name, published: name };
    } catch {
      // not in the catalog (unknown, withheld, or its server still connecting): read the prefix
    }
    let best: { server: string; prefix: string } | undefined;
    for (const [server, prefix] of this.source.prefixes()) {
      if (name.startsWith(`${prefix}${sep}`) && (!best || prefix.length > best.prefix.length)) best = { server, prefix };
    }
    return best ? { server: best.server, name: name.slice(best.prefix.length + sep.length), published: name } : { name, published: name };
  }

  /** The server that answers for a resource URI on `scope`, if known. */
  resourceServer(scope: RequestScope, uri: string): string | undefined {
    if (scope.kind === 'server') return scope.server;
    try {
      return this.source.catalog()?.resolveResource(uri).server;
    } catch {
      return undefined;
    }
  }

  /** The access a request asks for, or undefined for methods policies do not govern (lists, ping, setLevel). */
  accessFor(scope: RequestScope, method: string, params: Record<string, unknown>): AccessRequest | undefined {
    const access = this.access(scope, method, params);
    if (access && scope.kind === 'server' && scope.inline) access.inline = true;
    return access;
  }

  private access(scope: RequestScope, method: string, params: Record<string, unknown>): AccessRequest | undefined {
    const kindOf: Record<string, 'tool' | 'prompt'> = { 'tools/call': 'tool', 'prompts/get': 'prompt' };
    switch (method) {
      case 'tools/call':
      case 'prompts/get': {
        if (typeof params.name !== 'string') return undefined;
        const kind = kindOf[method]!;
        const t = this.named(scope, kind, params.name);
        const args = params.arguments;
        return {
          kind,
          name: t.published,
          ...(t.server !== undefined ? { server: t.server } : {}),
          arguments: args !== null && typeof args === 'object' && !Array.isArray(args) ? (args as Record<string, unknown>) : {},
        };
      }
      case 'resources/read':
      case 'resources/subscribe':
      case 'resources/unsubscribe': {
        if (typeof params.uri !== 'string') return undefined;
        const server = this.resourceServer(scope, params.uri);
        return { kind: 'resource', uri: params.uri, ...(server !== undefined ? { server } : {}), arguments: {} };
      }
      case 'completion/complete': {
        const ref = params.ref as { type?: unknown; name?: unknown; uri?: unknown } | undefined;
        if (ref?.type === 'ref/prompt' && typeof ref.name === 'string') {
          const t = this.named(scope, 'prompt', ref.name);
          return { kind: 'prompt', name: t.published, ...(t.server !== undefined ? { server: t.server } : {}), arguments: {} };
        }
        if (ref?.type === 'ref/resource' && typeof ref.uri === 'string') {
          const server = this.resourceServer(scope, ref.uri);
          // Usually a template: matched by its literal prefix, as in resources/templates/list.
          return { kind: 'resource', uri: ref.uri, ...(ref.uri.includes('{') ? { uriTemplate: ref.uri } : {}), ...(server !== undefined ? { server } : {}), arguments: {} };
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }
}
