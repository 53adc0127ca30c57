import { Worker } from 'node:worker_threads';

/**
 * A caller's regular expression can backtrack for ever on the right input, and a match on the main
 * thread cannot be interrupted. So content regexes run in a worker with a time budget; over it the
 * worker is terminated and the call answers an error instead of hanging the server.
 */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const re = new RegExp(workerData.source, workerData.flags);
parentPort.on('message', (texts) => {
  const hits = texts.map((text) => {
    const lines = text.split('\\n');
    for (let i = 0; i < lines.length; i++) { re.lastIndex = 0; if (re.test(lines[i])) return { line: i + 1, text: lines[i].slice(0, 300) }; }
    return null;
  });
  parentPort.postMessage(hits);
});`;

export type LineHit = { line: number; text: string } | null;

export class RegexMatcher {
  private readonly worker: Worker;

  constructor(source: string, ignoreCase: boolean, private readonly budgetMs: number) {
    try {
      new RegExp(source, 'u');
    } catch (err) {
      throw new Error(`content: not a valid regular expression (${(err as Error).message})`, { cause: err });
    }
    this.worker = new Worker(SOURCE, { eval: true, workerData: { source, flags: ignoreCase ? 'iu' : 'u' }, resourceLimits: { maxOldGenerationSizeMb: 256 } });
  }

  /** The first matching line of each text, within what is left of the budget. */
  match(texts: string[], deadline: number): Promise<LineHit[]> {
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.worker.off('message', onMessage).off('error', onError);
      };
      const onMessage = (hits: LineHit[]) => {
        done();
        resolve(hits);
      };
      const onError = (err: Error) => {
        done();
        reject(new Error(`content: ${err.message}`));
      };
      const timer = setTimeout(() => {
        done();
        void this.worker.terminate();
        reject(new Error(`content: the regular expression ran over the ${this.budgetMs / 1000} s budget (a pattern that backtracks, such as (a+)+?); try a plain substring`));
      }, Math.max(0, deadline - Date.now()));
      this.worker.on('message', onMessage).on('error', onError);
      this.worker.postMessage(texts);
    });
  }

  close(): void {
    void this.worker.terminate();
  }
}
