/**
 * AWS Lambda entry (`mcp-outlet/lambda`, handler `dist/serverless/lambda.handler`): API Gateway
 * REST and HTTP APIs and Function URLs, over the same HTTP app as `outlet serve`. The config comes
 * from OUTLET_CONFIG, OUTLET_CONFIG_FILE or a bundled outlet.config.json/.yaml (see
 * config-source.ts); deploy/aws/template.yaml is a SAM template for it.
 */
import { sharedOutlet } from './app-factory.js';
import { measureSandboxHost } from '../outlet/sandbox-host-probe.js';
import { createLambdaHandler } from './lambda-adapter.js';

export type { LambdaV1Event, LambdaV2Event } from './lambda-events.js';
export type { LambdaResult, LambdaV1Result, LambdaV2Result } from './lambda-result.js';

// The cold start (config, gateway, upstream processes) begins while the module loads, in Lambda's
// init phase; the first invocation only waits for what is left of it.
// A Node function can run command servers: its config resolves unset sandbox backends from this host.
measureSandboxHost();
void sharedOutlet();

export const handler = createLambdaHandler(sharedOutlet);
