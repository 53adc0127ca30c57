import { describe, expect, it } from 'vitest';
import { countTokens, countTokensSync, loadTokenizer, toolsListTokens } from './token-count.js';

describe('token counts (o200k_base)', () => {
  it('counts text, and special-token text as plain text', async () => {
    expect(await countTokens('hello world')).toBe(2);
    expect(await countTokens('')).toBe(0);
    // Would throw "Disallowed special token" with the library's default options.
    expect(await countTokens('a <|endoftext|> b')).toBeGreaterThan(3);
  });

  it('counts synchronously once loaded', async () => {
    await loadTokenizer();
    expect(countTokensSync('hello world')).toBe(2);
  });

  it('counts a tools/list result as its JSON text', async () => {
    const tools = [{ name: 'echo', inputSchema: { type: 'object' } }];
    expect(await toolsListTokens(tools)).toBe(await countTokens(JSON.stringify({ tools })));
    expect(await toolsListTokens([])).toBe(await countTokens('{"tools":[]}'));
  });
});
