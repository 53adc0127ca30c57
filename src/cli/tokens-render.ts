import type { TokenRow, TokensReport } from './tokens-report.js';

const HEADER = ['server', 'tools', 'plain', 'compacted', 'saving'];

/**
 * The report as a terminal table: one row per server, their total, the aggregate endpoint's list
 * (namespaced, so a little longer than the total), then the code-mode line and what was left out.
 */
export function renderTokensTable(report: TokensReport): string {
  const rows = [...report.servers.map(cells), cells(report.total), cells(report.aggregate)];
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const body = rows.map(line);
  const serverCount = report.servers.length;
  const lines = [
    'o200k tokens of tools/list as a 2025-11-25 client gets it (plain: as listed; compacted: lossless schema compaction)',
    '',
    line(HEADER),
    rule,
    ...body.slice(0, serverCount),
    rule,
    ...body.slice(serverCount),
    '',
    `code mode (${report.codeMode.tools} tools): ${report.codeMode.tokens} tokens; /mcp plain / code mode = ${report.codeMode.ratio}x`,
  ];
  if (report.note) lines.push('', `note: ${report.note}`);
  if (report.down.length > 0) lines.push('', 'not measured:', ...report.down.map((d) => `  ${d}`));
  return `${lines.join('\n')}\n`;
}

function cells(row: TokenRow): string[] {
  return [row.name, String(row.tools), String(row.plainTokens), String(row.compactTokens), `${row.savingPercent.toFixed(1)}%`];
}
