import { Command, CommanderError } from 'commander';
import { BENCH_DEFAULTS, type RawBenchOptions } from './parse-bench-args.js';
import { benchCommand, EXIT_BAD_INPUT, type BenchIo, type BenchOutcome } from './run-bench.js';

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** $OUTLET_TOKEN is read here, not as a commander default, which --help would print in clear. */
function withEnvToken(opts: RawBenchOptions): RawBenchOptions {
  const token = opts.token ?? process.env.OUTLET_TOKEN;
  return token ? { ...opts, token } : opts;
}

/**
 * The options of `outlet bench`. Numbers stay strings without commander defaults: parse-bench-args
 * applies the defaults and checks the values, so a bad one gets the same message and exit code 2
 * however the command is invoked.
 */
export function defineBenchOptions(cmd: Command): Command {
  return cmd
    .description('measure latency and success of the same MCP request against several endpoints, side by side')
    .option('--target <name=url>', 'an MCP endpoint to measure, as name=URL; repeat for each (e.g. local=http://127.0.0.1:3000/mcp)', collect)
    .option('--tool <name>', 'tool to call (tools/call); without it, each call is tools/list')
    .option('--args <json>', 'arguments for --tool, as a JSON object')
    .option('--requests <n>', `timed calls per target (default: ${BENCH_DEFAULTS.requests})`)
    .option('--concurrency <n>', `calls in flight at once, per target (default: ${BENCH_DEFAULTS.concurrency})`)
    .option('--warmup <n>', `untimed calls per target before the timed ones (default: ${BENCH_DEFAULTS.warmup})`)
    .option('--rounds <n>', 'split the calls into rounds that rotate over the targets (default: 1, one target after another)')
    .option('--era <era>', 'protocol era: 2025-11-25, 2026-07-28 or auto, which probes (default: auto)')
    .option('--timeout <ms>', `give up on a call, or the connect, after this long (default: ${BENCH_DEFAULTS.timeoutMs})`)
    .option('-t, --token <token>', 'bearer token sent to every target (default: $OUTLET_TOKEN)')
    .option('--report <file>', 'also write a self-contained HTML report (tables and SVG charts)')
    .option('--json <file>', 'also write every figure as JSON');
}

/** Adds `outlet bench` to the CLI; main.ts calls this once. */
export function registerBenchCommand(program: Command): void {
  const cmd = defineBenchOptions(program.command('bench'));
  // Commander's own usage errors (unknown option, missing value) exit 1 by default; the CLI's
  // convention for bad input is 2, so map them, and keep 0 for --help.
  cmd.exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT_BAD_INPUT));
  cmd.action(async (opts: RawBenchOptions) => {
    const { exitCode } = await benchCommand(withEnvToken(opts), { stdout: process.stdout, stderr: process.stderr });
    process.exitCode = exitCode;
  });
}

/**
 * The same command parsed from an argv list without touching the process (no exit, no exitCode):
 * for tests, and for anything that embeds the bench.
 */
export async function runBenchCli(argv: readonly string[], io: BenchIo): Promise<BenchOutcome> {
  const program = new Command('outlet')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  let outcome: BenchOutcome = { exitCode: EXIT_BAD_INPUT };
  defineBenchOptions(program.command('bench')).action(async (opts: RawBenchOptions) => {
    outcome = await benchCommand(withEnvToken(opts), io);
  });
  try {
    await program.parseAsync(['bench', ...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return { exitCode: err.exitCode === 0 ? 0 : EXIT_BAD_INPUT };
    throw err;
  }
  return outcome;
}
