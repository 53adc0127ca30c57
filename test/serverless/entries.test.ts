import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerlessOutlet } from '../../src/serverless/app-factory.js';
import type * as AzureEntry from '../../src/serverless/azure.js';
import type * as FetchEntry from '../../src/serverless/fetch.js';
import type * as LambdaEntry from '../../src/serverless/lambda.js';
import { bodyOf } from '../vectors/answer.js';
import { fixtureConfig } from '../vectors/fixture.js';
import { functionUrlEvent, readResult } from './aws-events.js';
import { INITIALIZE_2025 } from './modern.js';

// The published entry modules (mcp-outlet/lambda, /fetch, /gcf, /azure) as a platform loads
// them: configured by OUTLET_CONFIG, starting while they load. Only AWS's event is hand-built.

const savedEnv = { OUTLET_CONFIG: process.env.OUTLET_CONFIG, OUTLET_LOG_LEVEL: process.env.OUTLET_LOG_LEVEL };
let lambda: typeof LambdaEntry;
let fetchEntry: typeof FetchEntry;
let azure: typeof AzureEntry;
let shared: ServerlessOutlet;

beforeAll(async () => {
  process.env.OUTLET_CONFIG = JSON.stringify(fixtureConfig());
  process.env.OUTLET_LOG_LEVEL = 'silent';
  lambda = await import('../../src/serverless/lambda.js');
  fetchEntry = await import('../../src/serverless/fetch.js');
  azure = await import('../../src/serverless/azure.js');
  await import('../../src/serverless/gcf.js');
  shared = await azure.sharedOutlet();
});

afterAll(async () => {
  await shared?.close();
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('the entry modules', () => {
  it('share one outlet per instance: a session opened through Lambda is found through fetch and Azure', async () => {
    const opened = readResult(
      await lambda.handler(functionUrlEvent({ method: 'POST', path: '/mcp', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: INITIALIZE_2025 })),
    );
    const sessionId = opened.headers.get('mcp-session-id')!;
    expect(sessionId).toBeTruthy();
    const list = () =>
      new Request('https://outlet.example/mcp', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }),
      });
    const viaFetch = await fetchEntry.fetch(list());
    expect(bodyOf(await viaFetch.text(), viaFetch.headers.get('content-type'))).toMatchObject({ result: { tools: [{ name: 'tiny__echo' }] } });
    const viaAzure = await azure.handler(list());
    expect(viaAzure.status).toBe(200);
  });

  it('fetch is exported both by name and as the default { fetch } the Web runtimes look for', () => {
    expect(fetchEntry.default).toEqual({ fetch: fetchEntry.fetch });
  });
});
