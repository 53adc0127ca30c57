import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/**
 * The folders of `src/`, lowest first. A folder may import from folders listed before it, never
 * from one listed after it (type-only imports included: a type names a dependency as much as a
 * value does). docs/architecture.md says what each one owns.
 */
export const LAYERS = [
  'shared',
  'errors',
  'config',
  'observability',
  'sandbox',
  'builtins',
  'packages',
  'upstream',
  'supervisor',
  'catalog',
  'policy',
  'router',
  'protocol',
  'codemode',
  'gateway',
  'inbound',
  'outlet',
  'serverless',
  'cli',
] as const;

/**
 * Layers that must stay cheap to load and safe to run anywhere (a Worker, a unit test): nothing
 * they load at run time may spawn processes, register Prometheus metrics or build a sandbox.
 */
export const CONFINED_LAYERS = ['config', 'policy', 'protocol'] as const;
const FORBIDDEN_PACKAGES = ['node:child_process', 'child_process', 'prom-client'];
const FORBIDDEN_FOLDER = 'sandbox';

export interface ImportEdge {
  /** Module specifier as written. */
  specifier: string;
  /** The file it resolves to, relative to the repository (`src/...`), for relative specifiers. */
  target?: string;
  /** `import type` / `export type`: gone at run time. */
  typeOnly: boolean;
  /** `import('...')`: loaded when that code runs, not when the importing file loads. */
  dynamic: boolean;
}

/** Files of `src/` (relative paths) and the imports each one makes. */
export type ImportGraph = Map<string, ImportEdge[]>;

export function importsOf(file: string, text: string): ImportEdge[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const edges: ImportEdge[] = [];
  const add = (specifier: string, typeOnly: boolean, dynamic = false) => {
    const edge: ImportEdge = { specifier, typeOnly, dynamic };
    if (specifier.startsWith('.')) edge.target = relative('.', resolve(dirname(file), specifier)).split(sep).join('/').replace(/\.js$/, '.ts');
    edges.push(edge);
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.importClause?.isTypeOnly === true);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteral(arg)) add(arg.text, false, true);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** Reads every `.ts` file under `src/` of the repository at `root`. */
export function readImportGraph(root: string): ImportGraph {
  const graph: ImportGraph = new Map();
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) graph.set(path, importsOf(path, readFileSync(join(root, path), 'utf8')));
    }
  };
  walk('src');
  return graph;
}

/** The layer a `src/` file belongs to; undefined for files directly in `src/` (the package entry). */
export function layerOf(file: string): string | undefined {
  const parts = file.split('/');
  return parts.length > 2 ? parts[1] : undefined;
}

/** Everything wrong with the graph, one line per problem; empty when the layers hold. */
export function layerViolations(graph: ImportGraph): string[] {
  const problems: string[] = [];
  const rank = new Map<string, number>(LAYERS.map((name, i) => [name, i]));
  for (const [file, edges] of graph) {
    const from = layerOf(file);
    if (from === undefined) continue;
    if (!rank.has(from)) {
      problems.push(`${file}: folder src/${from}/ is not a layer (add it to LAYERS in test/helpers/layers.ts and to docs/architecture.md)`);
      continue;
    }
    for (const edge of edges) {
      if (!edge.target) continue;
      const to = layerOf(edge.target);
      if (to === undefined) {
        problems.push(`${file} imports ${edge.specifier}: the package entry is for users, not for layers`);
      } else if (to !== from && (rank.get(to) ?? Infinity) > rank.get(from)!) {
        problems.push(`${file} imports ${edge.specifier}: ${from}/ may not import from ${to}/, a higher layer`);
      }
    }
  }
  for (const layer of CONFINED_LAYERS) problems.push(...reachViolations(graph, layer));
  return problems;
}

/** What `layer`'s files load at run time (value imports, followed through every file they reach) that they must not. */
function reachViolations(graph: ImportGraph, layer: string): string[] {
  const problems: string[] = [];
  for (const start of graph.keys()) {
    if (layerOf(start) !== layer) continue;
    const seen = new Map<string, string>([[start, start]]);
    /** One line per forbidden thing a file reaches (the first path found): enough to act on. */
    const reported = new Set<string>();
    const queue = [start];
    while (queue.length > 0) {
      const file = queue.shift()!;
      for (const edge of graph.get(file) ?? []) {
        if (edge.typeOnly) continue;
        const via = `${seen.get(file)} -> ${edge.target ?? edge.specifier}`;
        const report = (what: string) => {
          if (reported.has(what)) return;
          reported.add(what);
          problems.push(`${start} loads ${what}: ${via}`);
        };
        if (FORBIDDEN_PACKAGES.includes(edge.specifier)) report(edge.specifier);
        if (!edge.target || seen.has(edge.target)) continue;
        if (layerOf(edge.target) === FORBIDDEN_FOLDER) report('the sandbox runtime');
        seen.set(edge.target, via);
        queue.push(edge.target);
      }
    }
  }
  return problems;
}
