import { createInterface } from 'node:readline/promises';
import { formatPinSummary, pinCommand, type PinChange } from './pin-command.js';
import { formatPinChange } from './pin-diff.js';

export interface PinCliOptions {
  config?: string;
  lock?: string;
  server?: string[];
  yes?: boolean;
}

/** Asks on the terminal; anything but y/yes declines. */
async function askApproval(count: number): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`approve ${count} changed tool${count === 1 ? '' : 's'}? [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/**
 * `outlet pin` as the CLI runs it: every changed tool's diff is printed before anything is
 * written; on a terminal the user then approves or declines (`--yes` skips the question), and
 * without one (a script, CI) the change is approved as before, its diff kept in the output.
 * Returns the exit code: 1 when a server was unreachable or the change was declined.
 */
export async function pinCliCommand(opts: PinCliOptions, ask: (count: number) => Promise<boolean> = askApproval, interactive = process.stdin.isTTY === true): Promise<number> {
  const confirm = async (changed: PinChange[]): Promise<boolean> => {
    for (const change of changed) console.log(formatPinChange(change));
    return opts.yes || !interactive ? true : ask(changed.length);
  };
  const summary = await pinCommand({
    ...(opts.config ? { config: opts.config } : {}),
    ...(opts.lock ? { lock: opts.lock } : {}),
    ...(opts.server ? { servers: opts.server } : {}),
    confirm,
  });
  console.log(formatPinSummary(summary));
  return summary.unreachable.length > 0 || !summary.written ? 1 : 0;
}
