import { Command, CommanderError } from 'commander';
import { pinCliCommand, type PinCliOptions } from './pin-cli.js';
import { registerBenchCommand } from './bench/register.js';
import { traceCommand, type TraceCommandOptions } from './trace-command.js';
import type { TokensOptions } from './tokens-command.js';
import { callCommand, EXIT_BAD_INPUT, listCommand, logsCommand, reportError, schemaCommand, serveCommand, stdioCommand, validateCommand } from './commands.js';
import { DEFAULT_WAIT_MS } from './server-wait.js';
import { PACKAGE_VERSION } from './version.js';

const program = new Command()
  .name('outlet')
  .description('mcp-outlet: run any MCP server, isolated and supervised, and serve them all as one')
  .version(PACKAGE_VERSION, '-V, --version', 'print the version of mcp-outlet')
  .showHelpAfterError()
  // Commander exits by itself (code 1) on a usage error; thrown instead, the error is mapped to
  // the documented exit code 2. Set before any subcommand is added: they copy it when created.
  .exitOverride();

program
  .command('serve')
  .description('start the gateway over HTTP (/mcp, /servers/<name>/mcp); without --config, the embedded default')
  .option('-c, --config <file>', 'config file (JSON or YAML)')
  .option('--host <host>', 'address to bind (overrides listen.host)')
  .option('-p, --port <port>', 'port to bind (overrides listen.port; 0 picks a free one)')
  .option('--drain-ms <ms>', 'on SIGTERM/SIGINT, how long calls in flight may finish before upstreams are stopped', '10000')
  .action(serveCommand);

program
  .command('stdio')
  .description('serve the whole catalog as one stdio MCP server, for desktop clients')
  .option('-c, --config <file>', 'config file (JSON or YAML)')
  .option('--wait-ms <ms>', 'how long the first list request waits for servers still starting or installing', String(DEFAULT_WAIT_MS))
  .action(stdioCommand);

program
  .command('list')
  .description('list the tools with their namespaced names')
  .option('-c, --config <file>', 'start the servers of this config in-process')
  .option('-u, --url <url>', 'ask a running gateway (e.g. http://127.0.0.1:3000/mcp)')
  .option('-t, --token <token>', 'bearer token when the gateway requires authentication (default: $OUTLET_TOKEN)')
  .option('--json', 'print the full tool definitions as JSON')
  .option('--wait-ms <ms>', 'how long to wait for servers still starting or installing (exit 1 naming each one that did not come up; with --url, read from its /ready)', String(DEFAULT_WAIT_MS))
  .action(async (opts: Parameters<typeof listCommand>[0]) => {
    process.exitCode = await listCommand(opts);
  });

program
  .command('call')
  .description('call one tool and print its result as JSON (exit 1 when the tool reports an error)')
  .argument('<tool>', 'namespaced tool name, e.g. memory__read_graph')
  .option('-a, --args <json>', 'arguments as a JSON object', '{}')
  .option('-c, --config <file>', 'start the servers of this config in-process')
  .option('-u, --url <url>', 'call through a running gateway')
  .option('-t, --token <token>', 'bearer token when the gateway requires authentication (default: $OUTLET_TOKEN)')
  .option('--wait-ms <ms>', "with --config: how long to wait for the tool's server while it starts or installs", String(DEFAULT_WAIT_MS))
  .action(async (tool: string, opts: { args?: string; config?: string; url?: string; token?: string; waitMs?: string }) => {
    process.exitCode = await callCommand(tool, opts);
  });

program
  .command('logs')
  .description("print a server's recent console output (stderr and non-JSON stdout) from a running gateway")
  .argument('<server>', 'server name')
  .option('-u, --url <url>', 'the gateway', 'http://127.0.0.1:3000')
  .option('-t, --token <token>', 'bearer token when the gateway requires authentication (default: $OUTLET_TOKEN)')
  .option('-n, --limit <n>', 'how many lines', '200')
  .option('--json', 'print the lines as JSON')
  .action(logsCommand);

program
  .command('trace')
  .description('print one trace from a running gateway as an indented span tree with durations and console lines')
  .argument('<id>', 'trace id (see GET /api/traces)')
  .option('-u, --url <url>', 'the gateway', 'http://127.0.0.1:3000')
  .option('-t, --token <token>', 'bearer token when the gateway requires authentication (default: $OUTLET_TOKEN)')
  .option('--json', 'print the trace as JSON')
  .action((id: string, opts: TraceCommandOptions) => traceCommand(id, opts));

program
  .command('tokens')
  .description('count the o200k tokens of each server\'s tools/list, with schemas compacted, and of the code-mode list')
  .option('-c, --config <file>', 'start the servers of this config in-process (default: the embedded default)')
  .option('-u, --url <url>', 'measure a running gateway: its /mcp, and /servers/<name>/mcp for each server its /ready names')
  .option('-t, --token <token>', 'bearer token when the gateway requires authentication (default: $OUTLET_TOKEN)')
  .option('--json', 'print the figures as JSON')
  .option('--check', 'also check that every compacted schema accepts and rejects the same generated inputs as its original (exit 1 on a mismatch; needs fast-check)')
  .option('--runs <n>', 'with --check: generated inputs per schema', '200')
  .option('--seed <n>', 'with --check: the generator seed, so a run repeats', '42')
  .option('--wait-ms <ms>', 'how long to wait for servers still starting or installing (one that does not come up is reported and left out)', String(DEFAULT_WAIT_MS))
  .action(async (opts: TokensOptions) => {
    // Loaded when used: compaction, the tokenizer and (with --check) fast-check are no part of the other commands.
    const { tokensCommand } = await import('./tokens-command.js');
    process.exitCode = await tokensCommand(opts);
  });

program
  .command('builtin <name>')
  .description('serve one built-in tool server over stdio (what a config entry { "builtin": "<name>" } runs; options from $OUTLET_BUILTIN_OPTIONS)')
  .action(async (name: string) => {
    const { builtinCommand } = await import('./builtin-command.js');
    await builtinCommand(name);
  });

program
  .command('pin')
  .description("approve the servers' tools: show what changed since the last approval, then write the lock file (sha256 over each tool's name, description and schemas)")
  .option('-c, --config <file>', 'config file (JSON or YAML)')
  .option('-l, --lock <file>', 'lock file (default: pinning.lockFile, else outlet.lock.json next to the config)')
  .option('-s, --server <name...>', 'only these servers (the others keep their pins)')
  .option('-y, --yes', 'approve changed tools without asking (the question is only asked on a terminal)')
  .action(async (opts: PinCliOptions) => {
    process.exitCode = await pinCliCommand(opts);
  });

program
  .command('validate')
  .description('check a config file without starting anything')
  .argument('<file>', 'config file (JSON or YAML)')
  .option('--json', 'print the result as JSON: {valid, file, servers, issues, warnings}, each issue with its path')
  .action(async (file: string, opts: { json?: boolean }) => {
    process.exitCode = await validateCommand(file, opts);
  });

program
  .command('schema')
  .description('print the JSON Schema of the config file')
  .option('-o, --out <file>', 'write it to a file instead')
  .action(schemaCommand);

registerBenchCommand(program);

// $OUTLET_TOKEN is read when a command runs, not given as the option's default: commander prints
// defaults in --help, and a token must not show up on a screen or in a pasted terminal log.
program.hook('preAction', (_program, command) => {
  const token = process.env.OUTLET_TOKEN;
  if (token && command.opts().token === undefined && command.options.some((o) => o.long === '--token')) command.setOptionValue('token', token);
});

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof CommanderError) {
    // Commander has already printed the message (or the help, or the version).
    process.exitCode = err.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    return;
  }
  process.exitCode = reportError(err);
  // list/call may leave upstream processes starting; do not wait for them.
  setTimeout(() => process.exit(), 50).unref();
});
