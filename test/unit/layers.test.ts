import { describe, expect, it } from 'vitest';
import { importsOf, layerViolations, readImportGraph, type ImportGraph } from '../helpers/layers.js';

const graph = readImportGraph('.');

describe('layers (docs/architecture.md)', () => {
  it('every import goes down the layer order, and config/, policy/, protocol/ stay free of processes, metrics and the sandbox', () => {
    expect(layerViolations(graph)).toEqual([]);
  });

  describe('the check itself', () => {
    const withFile = (file: string, text: string): ImportGraph => new Map([...graph, [file, importsOf(file, text)]]);

    it('fails on an upward import', () => {
      const problems = layerViolations(withFile('src/config/upward.ts', "import { Gateway } from '../gateway/gateway.js';\nexport const g = Gateway;\n"));
      expect(problems).toContain('src/config/upward.ts imports ../gateway/gateway.js: config/ may not import from gateway/, a higher layer');
      // Every problem is the new file's: the upward import, and what config/ now loads through it.
      expect(problems.every((line) => line.startsWith('src/config/upward.ts '))).toBe(true);
    });

    it('counts a type-only import as an upward import too', () => {
      const problems = layerViolations(withFile('src/upstream/upward.ts', "import type { Router } from '../router/router.js';\nexport type R = Router;\n"));
      expect(problems).toEqual([expect.stringContaining('upstream/ may not import from router/')]);
    });

    it('fails when a confined layer reaches child_process, even through a lower layer', () => {
      const problems = layerViolations(withFile('src/shared/spawner.ts', "import { spawn } from 'node:child_process';\nexport const s = spawn;\n").set('src/config/uses-spawner.ts', importsOf('src/config/uses-spawner.ts', "import { s } from '../shared/spawner.js';\nexport const t = s;\n")));
      expect(problems).toEqual([expect.stringContaining('src/config/uses-spawner.ts loads node:child_process: src/config/uses-spawner.ts -> src/shared/spawner.ts -> node:child_process')]);
    });

    it('fails on a folder that is not a layer', () => {
      expect(layerViolations(withFile('src/misc/helper.ts', 'export const x = 1;\n'))).toEqual([expect.stringContaining('src/misc/ is not a layer')]);
    });

    it('lets a type-only import through the reach check', () => {
      expect(layerViolations(withFile('src/policy/typed.ts', "import type { SpawnOptions } from 'node:child_process';\nexport type T = SpawnOptions;\n"))).toEqual([]);
    });
  });
});
