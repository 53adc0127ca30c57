/**
 * Web-standard entry (`mcp-outlet/fetch`): `export default { fetch }` is what Cloudflare Workers,
 * `deno serve` and Bun's server look for, and `fetch` is exported by name for code that mounts the
 * outlet itself. Streaming answers pass through unbuffered: these runtimes stream Web Responses.
 *
 * The config is read from `process.env` (OUTLET_CONFIG, OUTLET_CONFIG_FILE) or a bundled
 * outlet.config.json/.yaml in the working directory. Deno and Bun provide `process`; Workers need
 * the nodejs_compat flag, which also puts the Worker's variables in `process.env`. A Worker cannot
 * spawn processes, so there only `url` (HTTP) upstreams can be served.
 */
import { serveWith, sharedOutlet } from './app-factory.js';

// Cold start at module load (the runtime's init), so the first request only awaits what remains.
void sharedOutlet();

/** Serves one request with the instance's outlet; a failed start is answered 500 with its reason. */
export function fetch(request: Request): Promise<Response> {
  return serveWith(sharedOutlet, request);
}

export default { fetch };
