import { describe, expect, it } from 'vitest';
import { compactToolAnnotations } from './tool-annotations.js';

const base = { name: 't', inputSchema: { type: 'object' as const } };

describe('compactToolAnnotations', () => {
  it('drops hints set to their spec default and write hints of a read-only tool', () => {
    const tool = { ...base, annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true } };
    expect(compactToolAnnotations(tool).annotations).toEqual({ readOnlyHint: true });
  });

  it('keeps every hint that differs from its default on a tool that writes', () => {
    const tool = { ...base, annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false } };
    expect(compactToolAnnotations(tool).annotations).toEqual({ destructiveHint: false, idempotentHint: true, openWorldHint: false });
  });

  it('drops an annotation title that repeats the tool title, keeps one that differs', () => {
    expect(compactToolAnnotations({ ...base, title: 'Read', annotations: { title: 'Read' } }).annotations).toBeUndefined();
    expect(compactToolAnnotations({ ...base, title: 'Read', annotations: { title: 'Read a file' } }).annotations).toEqual({ title: 'Read a file' });
  });

  it('drops execution.taskSupport "forbidden" (the default), keeps "optional" and "required"', () => {
    expect(compactToolAnnotations({ ...base, execution: { taskSupport: 'forbidden' } })).not.toHaveProperty('execution');
    expect(compactToolAnnotations({ ...base, execution: { taskSupport: 'required' } }).execution).toEqual({ taskSupport: 'required' });
  });

  it('returns the same object when nothing goes, and never changes its input', () => {
    const tool = { ...base, annotations: { readOnlyHint: true } };
    expect(compactToolAnnotations(tool)).toBe(tool);
    const loose = { ...base, annotations: { readOnlyHint: false } };
    const copy = structuredClone(loose);
    compactToolAnnotations(loose);
    expect(loose).toEqual(copy);
  });
});
