/**
 * Configuration: reading a config file (JSON or YAML), interpolating environment variables,
 * validating it with messages that name the user's own keys, and normalizing it into the
 * {@link OutletConfig} the rest of the gateway consumes.
 */
export type { HttpServerConfig, InstancesConfig, OutletConfig, ServerCommon, ServerConfig, StdioServerConfig, UpstreamProtocol } from './types.js';
export type { CallsConfig, HealthConfig } from './calls-schema.js';
export type { CodeModeConfig, CodeModeKind } from './code-mode-schema.js';
export { DEFAULT_MAX_PROCESSES } from './instances-schema.js';
export type { ConfigIssue } from './issues.js';
export type { ConfigFormat } from './parse-text.js';
export type { ParseConfigOptions } from './parse-config.js';
export { parseConfig } from './parse-config.js';
export { parseConfigText } from './parse-text.js';
export { loadConfigFile, formatOfPath } from './load-file.js';
export { configJsonSchema } from './json-schema.js';
export { defaultConfig } from './default-config.js';
export { transientDefaultConfig, type TransientConfig } from './transient-default.js';
