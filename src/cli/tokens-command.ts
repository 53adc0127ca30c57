import { OutletError } from '../errors/index.js';
import { Gateway } from '../gateway/gateway.js';
import { createLogger } from '../observability/logger.js';
import { loadCliConfig } from './config-warnings.js';
import { readLocalToolLists, readRemoteToolLists } from './read-tool-lists.js';
import { parseWaitMs } from './server-wait.js';
import { runCompactionCheck, renderCheck } from './tokens-check.js';
import { measureTokenLists } from './tokens-report.js';
import { renderTokensTable } from './tokens-render.js';
import type { ToolLists } from './tool-lists.js';

export interface TokensOptions {
  config?: string;
  url?: string;
  token?: string;
  json?: boolean;
  check?: boolean;
  runs?: string;
  seed?: string;
  waitMs?: string;
}

/** Where the command writes; the CLI passes the process's streams, a test collects the text. */
export interface TokensIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: TokensIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/**
 * `outlet tokens`: o200k tokens of each server's `tools/list`, of the aggregate, of the same
 * lists with compacted schemas, and of the code-mode list; with `--check`, whether every compacted
 * schema accepts what its original accepts. Returns the exit code: 0, 1 when the check finds a
 * mismatch, 2 for bad options (thrown as INVALID_PARAMS, which the CLI maps to 2).
 */
export async function tokensCommand(opts: TokensOptions, io: TokensIo = processIo): Promise<number> {
  if (opts.config !== undefined && opts.url !== undefined) throw bad('--config and --url: give one, not both');
  const waitMs = parseWaitMs(opts.waitMs);
  if (waitMs === undefined) throw bad(`--wait-ms: expected a whole number of milliseconds, got "${opts.waitMs}"`);
  const runs = whole('--runs', opts.runs, 200, 1);
  const seed = whole('--seed', opts.seed, 42, 0);
  const lists = opts.url !== undefined ? await readRemoteToolLists(mcpUrl(opts.url), opts.token, waitMs) : await readLocal(opts.config, waitMs);
  const report = await measureTokenLists(lists);
  const check = opts.check ? await runCompactionCheck(lists, { runs, seed }) : undefined;
  if (opts.json) {
    io.out(`${JSON.stringify(check ? { ...report, check } : report, null, 2)}\n`);
    for (const line of report.down) io.err(`outlet: ${line}\n`);
  } else {
    io.out(renderTokensTable(report));
    if (check) io.out(`\n${renderCheck(check)}`);
  }
  return check && check.mismatches > 0 ? 1 : 0;
}

async function readLocal(path: string | undefined, waitMs: number): Promise<ToolLists> {
  const { config, dispose } = await loadCliConfig(path);
  try {
    const gateway = await Gateway.start(config, { logger: createLogger(process.env.OUTLET_LOG_LEVEL ?? 'warn') });
    try {
      return await readLocalToolLists(gateway, waitMs);
    } finally {
      await gateway.close();
    }
  } finally {
    dispose();
  }
}

/** As `outlet list` reads it: a bare origin means its `/mcp`. */
function mcpUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad(`--url: not a URL: "${text}"`);
  }
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/mcp';
  return url;
}

function whole(option: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw bad(`${option}: expected a whole number of at least ${min}, got "${text}"`);
  return n;
}

function bad(message: string): OutletError {
  return new OutletError('INVALID_PARAMS', message);
}
