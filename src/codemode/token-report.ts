import { tokensChannel, type TokensMessage } from '../observability/channels.js';
import { countTokens } from '../shared/token-count.js';

/** Token counts of list answers, by the tools array they were made from (lists repeat; counting 40,000 tokens does not need to). */
const listed = new WeakMap<object, number>();

/**
 * Reports the tokens of what an endpoint returned on the tokens channel (outlet_tokens_* metrics),
 * counted after the answer has gone and only while someone listens.
 */
export function reportTokens(message: Omit<TokensMessage, 'tokens'>, value: unknown, known?: number): void {
  if (!tokensChannel.hasSubscribers) return;
  if (known !== undefined) {
    tokensChannel.publish({ ...message, tokens: known });
    return;
  }
  const key = message.kind === 'list' && typeof value === 'object' && value !== null ? (value as { tools?: object }).tools : undefined;
  const cached = key ? listed.get(key) : undefined;
  if (cached !== undefined) {
    tokensChannel.publish({ ...message, tokens: cached });
    return;
  }
  void countTokens(JSON.stringify(value)).then(
    (tokens) => {
      if (key) listed.set(key, tokens);
      tokensChannel.publish({ ...message, tokens });
    },
    () => undefined,
  );
}
