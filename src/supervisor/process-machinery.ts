/**
 * What supervising a command (stdio) server needs beyond its connection: its sandbox and the
 * strategy of its instance mode. Loaded by the first command server that starts, not with the
 * supervisor: a runtime that cannot spawn processes (a Worker) serves only URL servers and never
 * loads it. See process-loader.ts.
 */
export { ServerSandbox } from './server-sandbox.js';
export { capWaitMs, createInstanceStrategy } from './instance-modes.js';
