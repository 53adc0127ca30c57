import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/cli/bench/bench-report.js';
import type { BenchPlan, CallRecord, TargetRun } from '../../src/cli/bench/bench-types.js';
import { classifyResult, shortMessage } from '../../src/cli/bench/classify-outcome.js';
import { escapeHtml } from '../../src/cli/bench/escape-html.js';
import { parseBenchOptions } from '../../src/cli/bench/parse-bench-args.js';
import { renderHtml } from '../../src/cli/bench/render-html.js';
import { bar, renderTerminal } from '../../src/cli/bench/render-terminal.js';

// The renderers on hand-made measurements: hostile text from a server must come out inert, in the
// terminal and in the HTML report alike.
const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)> "quoted" & \'single\'';

function fixture(): { plan: BenchPlan; runs: TargetRun[] } {
  const plan = parseBenchOptions({ target: ['fast=http://127.0.0.1:1/mcp', 'odd"name=http://127.0.0.1:2/mcp'], tool: 'x__y', args: '{"q":"</dd><script>"}', requests: '4' });
  const ok = (ms: number): CallRecord => ({ latencyMs: ms, outcome: { ok: true } });
  const failing: CallRecord = { latencyMs: 1, outcome: { ok: false, error: { kind: 'rpc', label: 'JSON-RPC -32603', rpcCode: -32603 }, message: shortMessage(HOSTILE) } };
  return {
    plan,
    runs: [
      { target: plan.targets[0]!, calls: [ok(1.2), ok(1.4), ok(2.5), ok(40)], timedMs: 50, connectMs: 3, firstResultMs: 5, protocolVersion: '2025-11-25' },
      { target: plan.targets[1]!, calls: [ok(3), failing, failing, ok(9)], timedMs: 20, connectMs: 4, firstResultMs: 8, protocolVersion: '2026-07-28' },
    ],
  };
}

describe('HTML report', () => {
  const { plan, runs } = fixture();
  const html = renderHtml(buildReport(plan, runs, new Date('2026-01-02T03:04:05Z')));

  it('escapes error messages, target names and arguments', () => {
    expect(html).not.toMatch(/<script|<img|onerror=alert\(2\)>/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('odd&quot;name');
    expect(html).toContain('{&quot;q&quot;:&quot;&lt;/dd&gt;&lt;script&gt;&quot;}');
  });

  it('is one document with its own styles and charts, and nothing fetched from elsewhere', () => {
    expect(html.match(/<html/g)).toHaveLength(1);
    expect(html).toContain('<style>');
    expect(html.match(/<svg /g)).toHaveLength(2);
    // Every "<" of outside text is escaped, so any "<" left opens a tag of ours: none may load anything.
    expect(html).not.toMatch(/<[^>]*\s(src|href)=|url\(|@import|<link/i);
    expect(html).toContain('2026-01-02T03:04:05.000Z');
  });
});

describe('terminal output', () => {
  const { plan, runs } = fixture();
  const text = renderTerminal(buildReport(plan, runs));

  it('shows both targets side by side and the error breakdown with an example', () => {
    expect(text).toMatch(/^\s+fast\s+odd"name$/m);
    expect(text).toMatch(/^success\s+100%\s+50\.0%$/m);
    expect(text).toContain('odd"name  JSON-RPC -32603  ×2  e.g. <script>alert(1)</script>');
  });

  it('keeps control characters from a server out of the terminal', () => {
    expect(shortMessage('bad\x1b[31mred\x1b[0m\r\nnext\u009b')).toBe('bad [31mred [0m next');
    expect(shortMessage('x'.repeat(500))).toHaveLength(160);
  });

  it('draws bars in eighths, never hiding a non-zero count', () => {
    expect(bar(0, 10)).toBe('');
    expect(bar(1, 1000)).toBe('▏');
    expect(bar(10, 10, 4)).toBe('████');
    expect(bar(5, 10, 3)).toBe('█▌');
  });
});

describe('outcome classification of results', () => {
  it('tells a tool error from a success and keeps its first text as the example', () => {
    expect(classifyResult({ content: [{ type: 'text', text: 'fine' }] })).toEqual({ ok: true });
    expect(classifyResult({ isError: true, content: [{ type: 'image', data: '' }, { type: 'text', text: 'disk full' }] })).toEqual({
      ok: false,
      error: { kind: 'tool', label: 'tool error (isError)' },
      message: 'disk full',
    });
  });

  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
