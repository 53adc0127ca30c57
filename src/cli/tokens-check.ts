import type * as FastCheck from 'fast-check';
import { checkToolCompaction, type CheckOptions, type SchemaCheck } from './schema-equivalence.js';
import type { ToolLists } from './tool-lists.js';

/** What `outlet tokens --check` found over every tool of every server. */
export interface CheckReport {
  runs: number;
  seed: number;
  tools: number;
  /** Schemas compared (input and output schemas); `unchanged` of them compaction left as they were. */
  schemas: number;
  unchanged: number;
  /** Schemas neither side compiles (the gateway passes such a tool's arguments through unchecked either way). */
  uncompiled: string[];
  mismatches: number;
  /** Generated inputs the originals accepted and rejected, over all schemas compared. */
  accepted: number;
  rejected: number;
  /** One entry per mismatching schema: `server/tool inputSchema: <input>: original accepts, compacted rejects`. */
  failures: string[];
}

/**
 * fast-check is a development dependency: the check is a tool for whoever works on compaction,
 * and the published package should not carry a property-testing library for it. Loaded here,
 * when `--check` is given, with a message that says what to install when it is absent.
 */
export async function loadFastCheck(): Promise<typeof FastCheck> {
  try {
    return await import('fast-check');
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw err;
    throw new Error('--check needs the fast-check package (a development dependency of mcp-outlet): install it beside mcp-outlet with `npm install fast-check`, or run from a checkout of the repository', { cause: err });
  }
}

/** Checks every server's tools (or, with no per-server rows, the aggregate's). */
export async function runCompactionCheck(lists: ToolLists, options: CheckOptions): Promise<CheckReport> {
  const fc = await loadFastCheck();
  const groups = lists.servers.length > 0 ? lists.servers : [{ server: '', tools: lists.aggregate }];
  const report: CheckReport = { ...options, tools: 0, schemas: 0, unchanged: 0, uncompiled: [], mismatches: 0, accepted: 0, rejected: 0, failures: [] };
  for (const { server, tools } of groups) {
    for (const tool of tools) {
      report.tools++;
      for (const check of checkToolCompaction(fc, tool, options)) add(report, server ? `${server}/${check.tool}` : check.tool, check);
    }
  }
  return report;
}

function add(report: CheckReport, label: string, check: SchemaCheck): void {
  report.schemas++;
  report.accepted += check.accepted;
  report.rejected += check.rejected;
  if (check.outcome === 'same') report.unchanged++;
  if (check.outcome === 'uncompiled') report.uncompiled.push(`${label} ${check.schema}: ${check.detail ?? ''}`);
  if (check.outcome === 'mismatch') {
    report.mismatches++;
    report.failures.push(`${label} ${check.schema}: ${check.detail ?? ''}`);
  }
}

/** The check's outcome for the terminal: a summary line, then one line per mismatch. */
export function renderCheck(report: CheckReport): string {
  const compared = report.schemas - report.unchanged - report.uncompiled.length;
  const lines = [
    `--check: ${report.schemas} schemas of ${report.tools} tools; ${report.unchanged} left unchanged by compaction, ${compared} compared over ${report.runs} generated inputs each (seed ${report.seed}; the originals accepted ${report.accepted} and rejected ${report.rejected})`,
    report.mismatches === 0 ? 'every compacted schema accepts and rejects the same inputs as its original' : `${report.mismatches} compacted schema${report.mismatches === 1 ? '' : 's'} disagree with the original:`,
    ...report.failures.map((f) => `  ${f}`),
  ];
  if (report.uncompiled.length > 0) lines.push('not compared (neither side compiles):', ...report.uncompiled.map((u) => `  ${u}`));
  return `${lines.join('\n')}\n`;
}
