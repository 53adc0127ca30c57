type Counter = (text: string) => number;

let counter: Counter | undefined;
let loading: Promise<Counter> | undefined;

/**
 * Loads the o200k_base encoding (GPT-4o and later) once. Its table is a few megabytes, so nothing
 * imports it until a count is asked for. Special-token text such as `<|endoftext|>` counts as the
 * plain text it is (a tool description may contain it), rather than throwing.
 *
 * @example
 * await loadTokenizer();
 * countTokensSync('hello world'); // 2
 */
export function loadTokenizer(): Promise<void> {
  loading ??= import('gpt-tokenizer/encoding/o200k_base').then((encoding) => {
    const plain = { disallowedSpecial: new Set<string>() };
    counter = (text) => encoding.countTokens(text, plain);
    return counter;
  });
  return loading.then(() => undefined);
}

/**
 * o200k_base token count of `text`; loads the tokenizer on first use.
 *
 * @example
 * await countTokens('hello world'); // 2
 */
export async function countTokens(text: string): Promise<number> {
  if (!counter) await loadTokenizer();
  return counter!(text);
}

/**
 * The same count without a promise, once {@link loadTokenizer} has finished; throws before that,
 * since a silent estimate would make budgets built on it wrong.
 */
export function countTokensSync(text: string): number {
  if (!counter) throw new Error('countTokensSync: call loadTokenizer() first');
  return counter(text);
}

/**
 * Tokens of a tools/list result as a client receives it: `JSON.stringify({ tools })`.
 *
 * @example
 * await toolsListTokens([{ name: 'echo', inputSchema: { type: 'object' } }]);
 */
export function toolsListTokens(tools: readonly unknown[]): Promise<number> {
  return countTokens(JSON.stringify({ tools }));
}

let cutter: ((text: string, max: number) => string) | undefined;

/**
 * The start of `text` that fits in `max` o200k tokens, cut at a token boundary (a cut inside a
 * character's bytes is moved back to the last whole character).
 */
export async function truncateToTokens(text: string, max: number): Promise<string> {
  if (!cutter) {
    const encoding = await import('gpt-tokenizer/encoding/o200k_base');
    const plain = { disallowedSpecial: new Set<string>() };
    cutter = (t, n) => encoding.decode(encoding.encode(t, plain).slice(0, n)).replace(/\uFFFD+$/u, '');
  }
  return cutter(text, max);
}
