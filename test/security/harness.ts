import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { parseSecuritySections, type SecuritySections } from '../../src/auth/auth-schema.js';
import type { SecurityEvent } from '../../src/auth/security-audit.js';
import { createSecurity, type Security } from '../../src/auth/security.js';
import { gatewayShape } from '../../src/config/gateway-schema.js';
import { parseConfig, type OutletConfig } from '../../src/config/index.js';
import { OutletError } from '../../src/errors/index.js';
import { AGGREGATE_CAPABILITIES, perServerCapabilities } from '../../src/gateway/capabilities.js';
import { Gateway } from '../../src/gateway/gateway.js';
import { startOutlet } from '../../src/gateway/runtime.js';
import { createHttpApp, type HttpGateway } from '../../src/inbound/http-app.js';
import { McpEndpoint } from '../../src/inbound/mcp-endpoint.js';
import { silentLogger } from '../../src/observability/logger.js';
import { buildPolicyChain } from '../../src/policy/chain.js';
import { compose } from '../../src/policy/compose.js';

export const FIXTURE = fileURLToPath(new URL('./fixtures/secure-fixture.mjs', import.meta.url));

/** True once the config schema mounts the security sections and the gateway builds its security (the wiring lines). */
export const WIRED = 'auth' in gatewayShape;

export interface SecureOutlet {
  url: string;
  gateway: Gateway;
  security: Security;
  /** The audit file's records so far (needs `audit.file` in the sections). */
  auditRecords(): SecurityEvent[];
  close(): Promise<void>;
}

/**
 * Starts an outlet with security sections on 127.0.0.1, port 0. Once the wiring is in (config
 * schema + gateway), this is a plain `startOutlet` with the sections in the config, as in
 * production. Before, it assembles the same thing around a plain gateway: the security built from
 * the sections, the chain's security policies composed in front of the gateway's own handler, and
 * the HTTP app over endpoints that use that handler.
 */
export async function startSecureOutlet(raw: Record<string, unknown>, sections: Record<string, unknown>): Promise<SecureOutlet> {
  const parsedSections: SecuritySections = parseSecuritySections(sections);
  const audit = parsedSections.audit?.file;
  const auditRecords = () => {
    if (!audit) return [];
    try {
      return readFileSync(audit, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as SecurityEvent);
    } catch {
      return [];
    }
  };
  if (WIRED) {
    const config = parseConfig({ ...raw, ...sections }, { baseDir: process.cwd() });
    const runtime = await startOutlet({ config, host: '127.0.0.1', port: 0, logger: silentLogger() });
    const security = (runtime.gateway as unknown as { security?: Security }).security;
    if (!security) throw new Error('the config schema has the security sections but the Gateway builds no security: add the gateway wiring lines');
    return { url: runtime.url, gateway: runtime.gateway, security, auditRecords, close: () => runtime.close() };
  }
  const base = parseConfig(raw, { baseDir: process.cwd() });
  const config = { ...base, ...parsedSections } as OutletConfig & SecuritySections;
  const gateway = await Gateway.start(config, { logger: silentLogger() });
  const security = createSecurity(config, {
    logger: silentLogger(),
    catalog: () => gateway.currentCatalog(),
    whenStarted: () => gateway.supervisor.waitForStartup(config.startup.listWaitMs),
  });
  const handle = compose(buildPolicyChain(security), (ctx) => gateway.handle(ctx));
  const endpoints: McpEndpoint[] = [];
  const aggregate = new McpEndpoint({
    scope: { kind: 'aggregate' },
    handle,
    capabilities: () => AGGREGATE_CAPABILITIES,
    toolInputSchema: (name) => gateway.currentCatalog().tool(name)?.inputSchema,
    maxBodyBytes: config.http.maxBodyBytes,
    sessions: gateway.sessions,
    resumable: config.http.resumable,
    subscriptions: gateway.subscriptions,
    resourceOwner: (uri) => gateway.ownerOf(uri),
  });
  endpoints.push(aggregate);
  const perServer = new Map<string, McpEndpoint>();
  const view: HttpGateway = {
    config,
    supervisor: gateway.supervisor,
    logger: gateway.logger,
    currentCatalog: () => gateway.currentCatalog(),
    aggregate,
    security,
    endpointFor: (name: string) => {
      if (!config.servers[name]?.enabled) throw new OutletError('UNKNOWN_SERVER', `no enabled server named "${name}"`, { server: name });
      let endpoint = perServer.get(name);
      if (!endpoint) {
        endpoint = new McpEndpoint({
          scope: { kind: 'server', server: name },
          handle,
          capabilities: () => {
            const up = gateway.supervisor.get(name);
            return perServerCapabilities(up?.state === 'connected' ? up.live().capabilities : undefined);
          },
          toolInputSchema: (tool) => gateway.currentCatalog().serverTool(name, tool)?.inputSchema,
          maxBodyBytes: config.http.maxBodyBytes,
          sessions: gateway.sessions,
          resumable: config.http.resumable,
          subscriptions: gateway.subscriptions,
          resourceOwner: () => name,
        });
        perServer.set(name, endpoint);
        endpoints.push(endpoint);
      }
      return endpoint;
    },
  };
  const app = createHttpApp(view);
  const server: ServerType = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    gateway,
    security,
    auditRecords,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(endpoints.map((e) => e.close().catch(() => undefined)));
      await gateway.close();
      await security.close();
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await closed;
    },
  };
}
