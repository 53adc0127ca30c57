/**
 * Google Cloud Functions entry (`mcp-outlet/gcf`): an HTTP function `(req, res)` over the same
 * HTTP app as `outlet serve`. Deploy with the export as the target, e.g.
 *   gcloud functions deploy outlet --gen2 --runtime nodejs20 --trigger-http --entry-point handler
 * from a directory whose package.json depends on mcp-outlet and whose index re-exports `handler`.
 * The config comes from OUTLET_CONFIG, OUTLET_CONFIG_FILE or a bundled outlet.config.json/.yaml.
 */
import { sharedOutlet } from './app-factory.js';
import { measureSandboxHost } from '../outlet/sandbox-host-probe.js';
import { createNodeHttpHandler } from './node-http-adapter.js';

export type { NodeStyleRequest } from './node-http-adapter.js';

// Cold start at module load, so the first request only awaits what remains of it.
// A Node function can run command servers: its config resolves unset sandbox backends from this host.
measureSandboxHost();
void sharedOutlet();

export const handler = createNodeHttpHandler(sharedOutlet);
