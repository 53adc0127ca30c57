import type { TargetRun } from './bench-types.js';
import type { BenchEvent } from './load-runner.js';
import { formatMs, formatPercent } from './format.js';

/** Where progress goes: stderr, so stdout keeps only the results (and can be piped). */
export interface ProgressSink {
  write(text: string): void;
  isTTY?: boolean;
  columns?: number;
}

const REDRAW_MS = 100;

/**
 * On a terminal, one bar redrawn in place (at most ten times a second: redrawing per call would cost
 * more than a fast local call). Elsewhere, CI logs for instance, one plain line per finished target,
 * since carriage-return redraws turn into thousands of lines there.
 */
export function createProgress(sink: ProgressSink, totalCalls: number): { onEvent(event: BenchEvent): void; finish(): void } {
  let done = 0;
  let failed = 0;
  let label = '';
  let lastDraw = 0;
  let drawn = false;

  const draw = (force: boolean) => {
    const now = Date.now();
    if (!force && now - lastDraw < REDRAW_MS) return;
    lastDraw = now;
    // Some terminals (or pseudo-terminals) report 0 columns; assume the classic 80 then.
    const columns = sink.columns && sink.columns >= 40 ? sink.columns : 80;
    const width = Math.max(10, Math.min(30, columns - 50));
    const filled = totalCalls === 0 ? width : Math.round((done / totalCalls) * width);
    const text = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${totalCalls}  ${label}${failed > 0 ? `  failed ${failed}` : ''}`;
    sink.write(`\r\x1b[2K${text.slice(0, columns - 1)}`);
    drawn = true;
  };

  return {
    onEvent(event) {
      if (event.type === 'done') {
        if (!sink.isTTY) sink.write(`${plainLine(event.run)}\n`);
        return;
      }
      if (!sink.isTTY) return;
      if (event.type === 'phase') {
        label = `${event.target.name}: ${event.phase === 'timed' ? 'timed calls' : event.phase}${event.round !== undefined ? ` (round ${event.round})` : ''}`;
        draw(true);
      } else {
        done += event.count;
        failed += event.failed;
        draw(false);
      }
    },
    finish() {
      // Clear the bar so the results table starts on a clean line.
      if (sink.isTTY && drawn) sink.write('\r\x1b[2K');
    },
  };
}

/** The line a non-terminal log gets for each target. */
export function plainLine(run: TargetRun): string {
  const name = run.target.name;
  if (run.connectFailure) return `bench ${name}: could not connect: ${run.connectFailure.error.label}: ${run.connectFailure.message}`;
  const ok = run.calls.filter((c) => c.outcome.ok).length;
  const rate = run.calls.length === 0 ? 0 : ok / run.calls.length;
  return `bench ${name}: ${run.calls.length} calls in ${formatMs(run.timedMs)}, ${formatPercent(rate)} ok (connected in ${formatMs(run.connectMs)})`;
}
