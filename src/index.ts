/**
 * mcp-outlet as a library (`import { createOutlet } from 'mcp-outlet'`):
 *   createOutlet   an outlet that answers Web requests, for embedding (`fetch`, `reload`, `close`)
 *   startOutlet    the Node server the `outlet` command runs (listens, watches the config file)
 *   config helpers parse, load and describe a config (the JSON Schema of the file)
 *   errors         the outlet's error class and its table of codes
 *   extension types the shapes of a call middleware and an upstream interceptor
 * The serverless entries are their own exports (`mcp-outlet/lambda`, `/gcf`, `/azure`, `/fetch`).
 * Everything else (the gateway object, its HTTP app, the supervisor) is internal and may change.
 */
import { measureSandboxHost } from './outlet/sandbox-host-probe.js';

// A config parsed with this library resolves an unset sandbox backend from this host's facts.
measureSandboxHost();

export { createOutlet } from './outlet/create-outlet.js';
export type { CreateOutletOptions, Outlet, ReloadResult } from './outlet/create-outlet.js';
export { startOutletServer as startOutlet } from './outlet/runtime.js';
export type { OutletRuntimeOptions, OutletServer } from './outlet/runtime.js';
export { defaultConfig, loadConfigFile, parseConfig, parseConfigText, configJsonSchema } from './config/index.js';
export type { ConfigFormat, OutletConfig, ParseConfigOptions, ServerConfig } from './config/index.js';
export { ERROR_TABLE, OutletError, isOutletError } from './errors/index.js';
export type { OutletErrorCode } from './errors/index.js';
export type { CallContext, Middleware } from './policy/call-context.js';
export type { Interceptor } from './upstream/interceptors/types.js';
export { defineServer, defineTool } from './builtins/define.js';
export type { ServerDefinition, ToolAnswer, ToolDefinition, ToolRunContext } from './builtins/define.js';
export { serveOverStdio } from './builtins/serve.js';
