import { match, type Captures } from './match.js';
import type { VectorExpect } from './vector-format.js';

/** What a form got back: HTTP forms fill every field, stdio only `body` (the JSON-RPC answer). */
export interface Answer {
  status?: number;
  headers?: Headers;
  text?: string;
  body?: unknown;
}

/**
 * The JSON body of an HTTP answer. An SSE answer (a POST's stream ends after its response) is
 * read as its JSON-RPC response: the last event carrying a result or an error.
 */
export function bodyOf(text: string, contentType: string | null): unknown {
  if (text.trim() === '') return undefined;
  try {
    if (!(contentType ?? '').includes('text/event-stream')) return JSON.parse(text) as unknown;
    const messages = text
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).trim())
      .filter(Boolean)
      .map((data) => JSON.parse(data) as Record<string, unknown>);
    return [...messages].reverse().find((m) => 'result' in m || 'error' in m) ?? messages.at(-1);
  } catch {
    return undefined;
  }
}

export async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: bodyOf(text, response.headers.get('content-type')) };
}

/** Checks one step's answer against its expectation; status and headers are HTTP's, so stdio skips them. */
export function checkAnswer(expect: VectorExpect, answer: Answer, captures: Captures): string[] {
  const problems: string[] = [];
  if (expect.status !== undefined && answer.status !== undefined && answer.status !== expect.status) {
    problems.push(`status: expected ${expect.status}, got ${answer.status} (${(answer.text ?? '').slice(0, 200)})`);
  }
  if (expect.headers && answer.headers) {
    for (const [name, value] of Object.entries(expect.headers)) {
      const actual = answer.headers.get(name) ?? undefined;
      if (value === '$absent') {
        if (actual !== undefined) problems.push(`header ${name}: expected none, got ${actual}`);
      } else problems.push(...match(value, actual, captures, `header ${name.toLowerCase()}`));
    }
  }
  if (expect.body !== undefined) {
    if (answer.body === undefined) problems.push(`body: expected JSON, got ${JSON.stringify((answer.text ?? '').slice(0, 200))}`);
    else problems.push(...match(expect.body, answer.body, captures, 'body'));
  }
  return problems;
}
