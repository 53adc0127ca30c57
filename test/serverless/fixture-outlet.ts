import { parseConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/observability/logger.js';
import { createServerlessOutlet, type ServerlessOutlet } from '../../src/serverless/app-factory.js';
import { fixtureConfig } from '../vectors/fixture.js';

/** A real serverless outlet (gateway, HTTP app, the tiny upstream) built the way the entry modules build one. */
export function startFixtureOutlet(): Promise<ServerlessOutlet> {
  return createServerlessOutlet(parseConfig(fixtureConfig()), { logger: silentLogger() });
}
