import type { Prompt, Tool } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/index.js';
import { listing, names, tools } from './listing.js';

const richTool: Tool = {
  name: 'read_file',
  title: 'Read file',
  description: 'Reads a file',
  inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  outputSchema: { type: 'object', properties: { text: { type: 'string' } } },
  annotations: { readOnlyHint: true, openWorldHint: false },
  icons: [{ src: 'https://example.com/icon.png', mimeType: 'image/png' }],
  _meta: { 'example.com/version': 3 },
};

const richPrompt: Prompt = {
  name: 'summarize',
  title: 'Summarize',
  description: 'Summarizes text',
  arguments: [{ name: 'text', description: 'What to summarize', required: true }],
  _meta: { 'example.com/tag': 'x' },
};

describe('namespacing', () => {
  it('publishes tools and prompts as <prefix><separator><name> with a custom separator', () => {
    const catalog = Catalog.build(
      [listing('files', { prefix: 'fs', tools: tools('read_file', 'list'), prompts: [richPrompt] })],
      { separator: '.' },
    );
    expect(names(catalog.tools())).toEqual(['fs.read_file', 'fs.list']);
    expect(names(catalog.prompts())).toEqual(['fs.summarize']);
    expect(catalog.resolveTool('fs.list')).toEqual({ server: 'files', name: 'list' });
    expect(catalog.resolvePrompt('fs.summarize')).toEqual({ server: 'files', name: 'summarize' });
  });

  it('keeps every other field exactly as the upstream sent it', () => {
    const catalog = Catalog.build([listing('fs', { tools: [richTool], prompts: [richPrompt] })], { separator: '__' });
    expect(catalog.tools()).toEqual([{ ...richTool, name: 'fs__read_file' }]);
    expect(catalog.prompts()).toEqual([{ ...richPrompt, name: 'fs__summarize' }]);
  });

  it('never mutates the input objects', () => {
    const input = listing('fs', { tools: [richTool], prompts: [richPrompt] });
    const before = structuredClone(input);
    const catalog = Catalog.build([input], { separator: '__' });
    expect(input).toEqual(before);
    expect(catalog.tools()[0]).not.toBe(richTool);
    expect(richTool.name).toBe('read_file');
  });

  it('publishes resources and templates unprefixed and untouched', () => {
    const resource = { uri: 'mem://notes/1', name: 'note', mimeType: 'text/plain' };
    const template = { uriTemplate: 'mem://notes/{id}', name: 'notes', description: 'Any note' };
    const catalog = Catalog.build([listing('mem', { resources: [resource], resourceTemplates: [template] })], {
      separator: '__',
    });
    expect(catalog.resources()).toEqual([resource]);
    expect(catalog.resourceTemplates()).toEqual([template]);
  });

  it('hands out fresh arrays, so a caller cannot edit the catalog', () => {
    const catalog = Catalog.build([listing('fs', { tools: tools('a') })], { separator: '__' });
    catalog.tools().pop();
    expect(names(catalog.tools())).toEqual(['fs__a']);
  });
});
