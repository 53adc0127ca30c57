import { describe, expect, it } from 'vitest';
import { editDistance, suggest } from '../../src/config/did-you-mean.js';

describe('did-you-mean', () => {
  it('counts insertions, deletions, substitutions and transpositions as one edit', () => {
    expect([editDistance('comand', 'command'), editDistance('commands', 'command'), editDistance('cammand', 'command'), editDistance('hedaers', 'headers')]).toEqual([1, 1, 1, 1]);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests only plausible typos, ignoring case', () => {
    const keys = ['command', 'args', 'env', 'cwd', 'url', 'headers', 'timeoutMs', 'mcpServers'];
    expect(suggest('Command', keys)).toBe('command');
    expect(suggest('timeout', keys)).toBe('timeoutMs');
    expect(suggest('mcp_servers', keys)).toBe('mcpServers');
    expect(suggest('uri', keys)).toBe('url');
    expect(suggest('program', keys)).toBeUndefined();
    expect(suggest('xyz', keys)).toBeUndefined();
  });
});
