import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/index.js';
import { OutletError } from '../../src/errors/index.js';
import { listing, tools } from './listing.js';

function caught(fn: () => unknown): OutletError {
  try {
    fn();
  } catch (err) {
    if (err instanceof OutletError) return err;
    throw err;
  }
  throw new Error('expected an OutletError');
}

describe('resolving tools and prompts', () => {
  const catalog = Catalog.build(
    [listing('git', { tools: tools('log'), prompts: [{ name: 'review' }] }), listing('fs', { tools: tools('read') })],
    { separator: '__' },
  );

  it('routes a published name to server and upstream name', () => {
    expect(catalog.resolveTool('git__log')).toEqual({ server: 'git', name: 'log' });
    expect(catalog.resolveTool('fs__read')).toEqual({ server: 'fs', name: 'read' });
    expect(catalog.resolvePrompt('git__review')).toEqual({ server: 'git', name: 'review' });
  });

  it('throws UNKNOWN_TOOL for a name it does not publish, including the bare upstream name', () => {
    for (const name of ['git__nope', 'log', 'fs__log']) {
      const err = caught(() => catalog.resolveTool(name));
      expect(err.code).toBe('UNKNOWN_TOOL');
      expect(err.message).toBe(`Unknown tool "${name}"`);
      expect(err.data).toEqual({ tool: name });
    }
  });

  it('throws UNKNOWN_PROMPT for an unknown prompt', () => {
    const err = caught(() => catalog.resolvePrompt('git__log'));
    expect(err.code).toBe('UNKNOWN_PROMPT');
    expect(err.data).toEqual({ prompt: 'git__log' });
  });

  it('routes a contested name to the kept entry, never to the withheld one', () => {
    const clash = Catalog.build([listing('a', { prefix: 'p', tools: tools('t', 'u') }), listing('b', { prefix: 'p', tools: tools('t') })], {
      separator: '__',
    });
    expect(clash.resolveTool('p__t')).toEqual({ server: 'a', name: 't' });
    expect(clash.problems).toHaveLength(1);
  });
});

describe('resolving resources', () => {
  const docs = listing('docs', {
    advertisesResources: true,
    resources: [{ uri: 'docs://guide', name: 'guide' }],
    resourceTemplates: [{ uriTemplate: 'docs://pages/{page}', name: 'page' }],
  });
  const db = listing('db', {
    advertisesResources: true,
    resources: [{ uri: 'docs://pages/special', name: 'special' }],
    resourceTemplates: [
      { uriTemplate: 'db://{table}/{id}', name: 'row' },
      { uriTemplate: 'broken{', name: 'unparseable' },
    ],
  });
  const plain = listing('plain', { tools: tools('x') });

  it('prefers an exact listed URI over a template that also matches', () => {
    const catalog = Catalog.build([docs, db, plain], { separator: '__' });
    expect(catalog.resolveResource('docs://guide')).toEqual({ server: 'docs' });
    expect(catalog.resolveResource('docs://pages/special')).toEqual({ server: 'db' });
  });

  it('falls back to the first server whose template matches', () => {
    const catalog = Catalog.build([docs, db, plain], { separator: '__' });
    expect(catalog.resolveResource('docs://pages/intro')).toEqual({ server: 'docs' });
    expect(catalog.resolveResource('db://users/42')).toEqual({ server: 'db' });
  });

  it('takes the first matching template in catalog order', () => {
    const a = listing('a', { resourceTemplates: [{ uriTemplate: 'any://{x}', name: 'a' }] });
    const b = listing('b', { resourceTemplates: [{ uriTemplate: 'any://{y}', name: 'b' }] });
    expect(Catalog.build([b, a], { separator: '__' }).resolveResource('any://1')).toEqual({ server: 'a' });
  });

  it('sends an unlisted URI to the only server that advertises resources', () => {
    const catalog = Catalog.build([docs, plain], { separator: '__' });
    expect(catalog.resolveResource('file:///etc/hosts')).toEqual({ server: 'docs' });
  });

  it('throws UNKNOWN_RESOURCE naming the candidates when several servers could own it', () => {
    const catalog = Catalog.build([docs, db, plain], { separator: '__' });
    const err = caught(() => catalog.resolveResource('file:///etc/hosts'));
    expect(err.code).toBe('UNKNOWN_RESOURCE');
    expect(err.message).toContain('"file:///etc/hosts"');
    expect(err.message).toContain('db, docs');
    expect(err.data).toEqual({ uri: 'file:///etc/hosts', candidates: ['db', 'docs'] });
  });

  it('throws UNKNOWN_RESOURCE saying no server serves resources when none advertises them', () => {
    const catalog = Catalog.build([plain], { separator: '__' });
    const err = caught(() => catalog.resolveResource('x://y'));
    expect(err.code).toBe('UNKNOWN_RESOURCE');
    expect(err.message).toContain('no connected server advertises resources');
  });

  it('still lists a template the SDK cannot parse, but never routes to it', () => {
    const catalog = Catalog.build([db], { separator: '__' });
    expect(catalog.resourceTemplates().map((t) => t.name)).toEqual(['row', 'unparseable']);
    expect(() => Catalog.build([db, docs], { separator: '__' }).resolveResource('broken{')).toThrow(OutletError);
  });
});
