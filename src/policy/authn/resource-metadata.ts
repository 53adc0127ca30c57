import { buildOAuthProtectedResourceMetadata, getOAuthProtectedResourceMetadataUrl, type OAuthMetadata, type OAuthProtectedResourceMetadata } from '@modelcontextprotocol/server';
import type { AuthConfig } from '../../config/auth-schema.js';

export const WELL_KNOWN_PREFIX = '/.well-known/oauth-protected-resource';

/** The MCP endpoint paths, whose own URL is an RFC 8707 resource of its own. */
const MCP_PATH = /^(?:\/servers\/[^/]+)?\/(?:mcp|sse|messages)$/;

const stripSlash = (p: string) => (p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p);

/**
 * The outlet as an OAuth 2.1 protected resource (MCP authorization spec, RFC 9728, RFC 8707):
 * which resource URI each path belongs to, where its metadata document lives, and the document.
 *
 * `auth.resource` is the outlet's resource (usually `https://host/mcp`). A per-server endpoint
 * (`/servers/fs/mcp`) is not under it, and MCP clients insist that the metadata's `resource` be a
 * prefix of the URL they connect to, so such an endpoint is its own resource (`https://host/servers/fs/mcp`),
 * with its own path-suffixed metadata document. Tokens for the outlet's resource are accepted on
 * every endpoint; tokens for one endpoint's resource only there.
 */
export class ResourceMetadata {
  private readonly base?: URL;
  private readonly basePath: string;
  /** The path the outlet is mounted under, as seen from outside ("" when at the root). */
  private readonly mount: string;
  private readonly documents = new Map<string, Record<string, unknown>>();

  constructor(private readonly auth: AuthConfig) {
    if (auth.resource) {
      this.base = new URL(auth.resource);
      this.basePath = stripSlash(this.base.pathname);
      this.mount = this.basePath === '/' ? '' : this.basePath.endsWith('/mcp') ? this.basePath.slice(0, -4) : this.basePath;
      if (this.basePath === '/') this.basePath = '';
      // Fail at start-up, not at the first request, on an issuer the SDK refuses (http off loopback).
      if (auth.authorizationServers) this.document(auth.resource);
    } else {
      this.basePath = '';
      this.mount = '';
    }
  }

  /** The resource identifier a request to `pathname` is for, or undefined without auth.resource. */
  resourceFor(pathname: string): string | undefined {
    if (!this.base) return undefined;
    const path = stripSlash(pathname);
    if (path === '/mcp' || !MCP_PATH.test(path)) return this.base.href;
    // Legacy SSE clients POST to .../messages with the token they got for .../sse.
    const endpoint = path.replace(/\/messages$/, '/sse');
    const external = `${this.mount}${endpoint}`;
    if (this.basePath === '' || external === this.basePath || external.startsWith(`${this.basePath}/`)) return this.base.href;
    return new URL(external, this.base.origin).href;
  }

  /** The audiences a token may carry on `pathname`: the outlet's resource and, if different, the endpoint's. */
  audiencesFor(pathname: string): string[] {
    if (!this.base) return [];
    const own = this.resourceFor(pathname)!;
    const all = new Set([this.base.href, own]);
    // "https://host/mcp" and "https://host/mcp/" name the same resource.
    for (const a of [...all]) all.add(a.endsWith('/') ? a.slice(0, -1) : `${a}/`);
    return [...all];
  }

  /** Where the metadata document of the resource behind `pathname` is served (for WWW-Authenticate). */
  metadataUrlFor(pathname: string): string | undefined {
    const resource = this.resourceFor(pathname);
    return resource === undefined ? undefined : getOAuthProtectedResourceMetadataUrl(new URL(resource));
  }

  /**
   * Serves `GET /.well-known/oauth-protected-resource[/<path>]`: the root document (the outlet's
   * resource), the path-suffixed one for `auth.resource`, and one per MCP endpoint path.
   * Undefined when the path is not a metadata path this outlet serves.
   */
  response(request: Request): Response | undefined {
    const path = stripSlash(new URL(request.url).pathname);
    if (!this.base || (path !== WELL_KNOWN_PREFIX && !path.startsWith(`${WELL_KNOWN_PREFIX}/`))) return undefined;
    const suffix = path.slice(WELL_KNOWN_PREFIX.length);
    let resource: string | undefined;
    if (suffix === '' || suffix === this.basePath) resource = this.base.href;
    else {
      const inner = this.mount && suffix.startsWith(`${this.mount}/`) ? suffix.slice(this.mount.length) : suffix;
      if (MCP_PATH.test(inner)) resource = this.resourceFor(inner);
    }
    if (resource === undefined) return undefined;
    return documentResponse(request, this.document(resource));
  }

  /** The RFC 9728 document for one resource identifier. */
  document(resource: string): Record<string, unknown> {
    let doc = this.documents.get(resource);
    if (doc) return doc;
    const servers = this.auth.authorizationServers ?? [];
    let built: Partial<OAuthProtectedResourceMetadata> = { resource: new URL(resource).href };
    if (servers.length > 0) {
      // The SDK builds the document from one authorization server's metadata and checks its
      // issuer URL (https, no query or fragment); the outlet knows only issuer URLs, and may
      // have several, so each is checked this way and all are listed.
      for (const issuer of servers) {
        built = buildOAuthProtectedResourceMetadata({
          oauthMetadata: { issuer } as OAuthMetadata,
          resourceServerUrl: new URL(resource),
          ...(this.auth.scopesSupported ? { scopesSupported: this.auth.scopesSupported } : {}),
          ...(this.auth.resourceName ? { resourceName: this.auth.resourceName } : {}),
        });
      }
      // Issuer identifiers are compared exactly by clients: listed as configured.
      built.authorization_servers = [...servers];
    }
    doc = Object.fromEntries(Object.entries({ ...built, bearer_methods_supported: ['header'] }).filter(([, v]) => v !== undefined));
    this.documents.set(resource, doc);
    return doc;
  }
}

/** GET/HEAD with permissive CORS (browser-based clients discover from other origins), 204 for preflight. */
function documentResponse(request: Request, doc: Record<string, unknown>): Response {
  const cors = { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, HEAD, OPTIONS' };
  if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: cors });
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return Response.json({ error: 'method_not_allowed', error_description: `${request.method} is not allowed here` }, { status: 405, headers: { ...cors, allow: 'GET, HEAD, OPTIONS' } });
  }
  const response = Response.json(doc, { headers: { ...cors, 'cache-control': 'max-age=300' } });
  return request.method === 'HEAD' ? new Response(null, { status: 200, headers: response.headers }) : response;
}
