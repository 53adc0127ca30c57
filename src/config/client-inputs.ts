import { formatPath, type ConfigIssue } from './issues.js';

/** One VS Code input (`inputs[]`): the value VS Code would prompt for. */
export interface ClientInput {
  id: string;
  description?: string;
  default?: string;
}

/**
 * The environment variable that supplies `${input:<id>}`: a gateway runs unattended and cannot
 * prompt, so the value comes from `OUTLET_INPUT_<ID>`, the id upper-cased with every character
 * other than a letter or digit turned into "_" (`perplexity-key` -> `OUTLET_INPUT_PERPLEXITY_KEY`).
 */
export function inputVariable(id: string): string {
  return `OUTLET_INPUT_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** Reads VS Code's top-level `inputs` array; entries without a string `id` are issues. */
export function readInputs(raw: unknown): { inputs: Map<string, ClientInput>; issues: ConfigIssue[] } {
  const inputs = new Map<string, ClientInput>();
  const issues: ConfigIssue[] = [];
  if (raw === undefined) return { inputs, issues };
  if (!Array.isArray(raw)) return { inputs, issues: [{ path: 'inputs', message: 'expected an array of inputs (VS Code\'s "inputs")' }] };
  raw.forEach((item: unknown, index) => {
    const entry = item as Record<string, unknown> | null;
    if (entry === null || typeof entry !== 'object' || typeof entry.id !== 'string' || entry.id === '') {
      issues.push({ path: formatPath(['inputs', index, 'id']), message: 'each input needs a string "id"' });
      return;
    }
    inputs.set(entry.id, {
      id: entry.id,
      ...(typeof entry.description === 'string' ? { description: entry.description } : {}),
      ...(typeof entry.default === 'string' ? { default: entry.default } : {}),
    });
  });
  return { inputs, issues };
}

/**
 * The value of `${input:<id>}` at `where` (a path whose second step names the server): the
 * environment variable, else the input's default, else an error that names the input, the server
 * that uses it and the variable to set.
 */
export function resolveInput(id: string, inputs: Map<string, ClientInput>, env: NodeJS.ProcessEnv, where: (string | number)[]): { value: string } | { error: string } {
  const variable = inputVariable(id);
  const fromEnv = env[variable];
  if (fromEnv !== undefined) return { value: fromEnv };
  const input = inputs.get(id);
  if (input?.default !== undefined) return { value: input.default };
  const server = where[0] === 'servers' || where[0] === 'mcpServers' ? ` used by server "${String(where[1])}"` : '';
  const what = input === undefined ? `input "${id}" (not declared in "inputs")` : `input "${id}"${input.description ? ` ("${input.description}")` : ''}`;
  return { error: `${what}${server} has no value: the outlet cannot prompt for it; set the environment variable ${variable}` };
}
