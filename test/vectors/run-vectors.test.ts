import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import { startTestOutlet } from '../helpers/outlet.js';
import { startFunctionsHost, type FunctionsHost } from '../serverless/functions-host.js';
import type { Answer } from './answer.js';
import { checkAnswer } from './answer.js';
import { fixtureConfig } from './fixture.js';
import { overAzure, overFetch, overHttp, overLambda, wireOf, type Send } from './http-forms.js';
import { interpolate, type Captures } from './match.js';
import { StdioPeer } from './stdio-form.js';
import { FORMS, loadVectors, type FormName, type Vector, type VectorRequest } from './vector-format.js';

// Every vector in cases/ against every deployment form it applies to. The gateway is never
// faked: the local server, the serverless entry modules (started from OUTLET_CONFIG, as a
// function would be) and `outlet stdio` all run the real gateway over the real tiny upstream.
// Only the platforms' front doors are stand-ins: hand-built AWS events of the documented shapes,
// a Functions-Framework-like Node host, and a Fetch Request for Azure's Fetch-like HttpRequest.

const vectors = loadVectors(fileURLToPath(new URL('./cases', import.meta.url)));

let dir: string;
let configPath: string;
let node: OutletRuntime;
let functionsHost: FunctionsHost;
let closeShared: () => Promise<void> = async () => undefined;
const savedEnv = { OUTLET_CONFIG: process.env.OUTLET_CONFIG, OUTLET_LOG_LEVEL: process.env.OUTLET_LOG_LEVEL };
const http = new Map<FormName, Send>();
const peers = new Map<string, StdioPeer>();

beforeAll(async () => {
  const raw = fixtureConfig();
  dir = mkdtempSync(join(tmpdir(), 'outlet-vectors-'));
  configPath = join(dir, 'outlet.config.json');
  writeFileSync(configPath, JSON.stringify(raw));
  node = await startTestOutlet(raw);
  // The entry modules start their shared outlet while they load, from the environment.
  process.env.OUTLET_CONFIG = JSON.stringify(raw);
  process.env.OUTLET_LOG_LEVEL = 'silent';
  const lambda = await import('../../src/serverless/lambda.js');
  const fetchEntry = await import('../../src/serverless/fetch.js');
  const gcf = await import('../../src/serverless/gcf.js');
  const azure = await import('../../src/serverless/azure.js');
  const shared = await azure.sharedOutlet();
  closeShared = () => shared.close();
  functionsHost = await startFunctionsHost(gcf.handler);
  http.set('node', overHttp(node.url));
  http.set('lambda-v1', overLambda(lambda.handler, 'lambda-v1'));
  http.set('lambda-v2', overLambda(lambda.handler, 'lambda-v2'));
  http.set('lambda-url', overLambda(lambda.handler, 'lambda-url'));
  http.set('fetch', overFetch(fetchEntry.default.fetch));
  http.set('gcf', overHttp(functionsHost.url));
  http.set('azure', overAzure(azure.handler));
});

afterAll(async () => {
  await Promise.all([...peers.values()].map((p) => p.close()));
  await functionsHost?.close();
  await closeShared();
  await node?.close();
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  rmSync(dir, { recursive: true, force: true });
});

/**
 * `outlet stdio` pins one protocol era per connection (from its first message), so vectors share
 * a process per era: the 2026 envelope's version, or the 2025 era when there is none.
 */
function stdioPeerFor(vector: Vector): StdioPeer {
  const first = vector.steps[0]!.request.body as { params?: { _meta?: Record<string, unknown> } } | undefined;
  const era = String(first?.params?._meta?.['io.modelcontextprotocol/protocolVersion'] ?? '2025');
  let peer = peers.get(era);
  if (!peer) peers.set(era, (peer = StdioPeer.start(configPath)));
  return peer;
}

/** Runs a vector's steps in order on one form; stops at the first step that does not match. */
async function run(vector: Vector, send: (request: VectorRequest, captures: Captures) => Promise<Answer>): Promise<string[]> {
  const captures: Captures = {};
  for (const [i, step] of vector.steps.entries()) {
    const problems = checkAnswer(step.expect, await send(step.request, captures), captures);
    if (problems.length > 0) return problems.map((p) => `step ${i + 1}: ${p}`);
  }
  return [];
}

it('finds the vectors, each valid, and every form runs some', () => {
  expect(vectors.length).toBeGreaterThan(0);
  for (const form of FORMS) expect(vectors.filter((v) => v.forms.has(form)).length, form).toBeGreaterThan(0);
});

describe.each(FORMS)('on %s', (form) => {
  for (const vector of vectors.filter((v) => v.forms.has(form))) {
    it(
      vector.name,
      async () => {
        const problems =
          form === 'stdio'
            ? // stdio is sent only the JSON-RPC message; captures can only feed the body there.
              await run(vector, async (request, captures) => ({ body: await stdioPeerFor(vector).send(interpolate(request.body, captures)) }))
            : await run(vector, (request, captures) => http.get(form)!(wireOf(interpolate(request, captures))));
        expect(problems, `${vector.file} on ${form}`).toEqual([]);
      },
      form === 'stdio' ? 90_000 : 30_000,
    );
  }
});
