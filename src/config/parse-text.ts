import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { throwIfIssues, type ConfigIssue } from './issues.js';
import { parseJson } from './json-parse.js';
import { parseConfig, type ParseConfigOptions } from './parse-config.js';
import { textPosition } from './text-position.js';
import type { OutletConfig } from './types.js';

/** The text formats a config file may be written in. */
export type ConfigFormat = 'json' | 'yaml';

/**
 * Parses YAML with duplicate keys as errors (the `yaml` default, kept on purpose). Errors carry
 * "line L, column C" paths like JSON syntax errors do.
 */
function parseYaml(text: string): { value: unknown; issues: ConfigIssue[] } {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const issues = doc.errors.map((e) => ({ path: textPosition(text, e.pos[0]), message: `invalid YAML: ${e.message}` }));
  return { value: issues.length > 0 ? undefined : doc.toJS(), issues };
}

/**
 * Parses the text of a config file and then runs {@link parseConfig} on the result. Syntax errors
 * and duplicate keys (in either format) are CONFIG_INVALID errors located by line and column.
 *
 * @example
 * parseConfigText('servers:\n  fs:\n    command: node\n', 'yaml').servers.fs?.transport; // 'stdio'
 */
export function parseConfigText(text: string, format: ConfigFormat, opts: ParseConfigOptions = {}): OutletConfig {
  const { value, issues } = format === 'yaml' ? parseYaml(text) : parseJson(text);
  throwIfIssues(issues, opts.source === undefined ? undefined : { source: resolve(opts.source) });
  return parseConfig(value, opts);
}
