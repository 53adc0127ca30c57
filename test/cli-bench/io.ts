import type { BenchIo } from '../../src/cli/bench/run-bench.js';

/** Collects what the bench prints, as a terminal would receive it (stderr a TTY or not). */
export function captureIo(options: { tty?: boolean } = {}): { io: BenchIo; stdout(): string; stderr(): string } {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (text: string) => void (out += text) },
      stderr: { write: (text: string) => void (err += text), isTTY: options.tty ?? false, columns: 100 },
    },
    stdout: () => out,
    stderr: () => err,
  };
}
