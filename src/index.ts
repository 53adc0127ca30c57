/**
 * mcp-outlet as a library (`import { startOutlet } from 'mcp-outlet'`): the runtime that the
 * `outlet` command starts, the Gateway and its HTTP app for embedding, config parsing and the
 * error table. The serverless entries are their own exports (`mcp-outlet/lambda`, `/gcf`,
 * `/azure`, `/fetch`).
 */
export { startOutlet, resolveConfig } from './outlet/runtime.js';
export type { OutletRuntime, OutletRuntimeOptions } from './outlet/runtime.js';
export { Gateway } from './gateway/gateway.js';
export { createHttpApp } from './inbound/http/http-app.js';
export { defaultConfig, loadConfigFile, parseConfig, parseConfigText, configJsonSchema } from './config/index.js';
export type { OutletConfig, ServerConfig } from './config/index.js';
export { ERROR_TABLE, OutletError, isOutletError } from './errors/index.js';
export type { OutletErrorCode } from './errors/index.js';
