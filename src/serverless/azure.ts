/**
 * Azure Functions v4 entry (`mcp-outlet/azure`): an HTTP trigger over the same HTTP app as
 * `outlet serve`. In the function app's entry file:
 *   import { app } from '@azure/functions';
 *   import { handler } from 'mcp-outlet/azure';
 *   app.http('outlet', { route: '{*path}', methods: ['GET', 'POST', 'DELETE'], authLevel: 'anonymous', handler });
 * with `"extensions": { "http": { "routePrefix": "" } }` in host.json, so /mcp is /mcp and not
 * /api/mcp (or build one with `createAzureHandler(sharedOutlet, { basePath: '/api' })`).
 * The config comes from OUTLET_CONFIG, OUTLET_CONFIG_FILE or a bundled outlet.config.json/.yaml.
 */
import { sharedOutlet } from './app-factory.js';
import { measureSandboxHost } from '../outlet/sandbox-host-probe.js';
import { createAzureHandler } from './azure-adapter.js';

export { createAzureHandler, type AzureHandlerOptions, type AzureHttpRequest, type AzureHttpResponseInit } from './azure-adapter.js';
export { sharedOutlet } from './app-factory.js';

// Cold start at module load, so the first request only awaits what remains of it.
// A Node function can run command servers: its config resolves unset sandbox backends from this host.
measureSandboxHost();
void sharedOutlet();

export const handler = createAzureHandler(sharedOutlet);
