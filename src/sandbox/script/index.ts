export { ScriptPool } from './script-pool.js';
export { DEFAULT_SCRIPT_LIMITS } from './script-types.js';
export type { ScriptFailure, ScriptHost, ScriptLimits, ScriptOutcome, ScriptPoolOptions, ScriptRequest } from './script-types.js';
