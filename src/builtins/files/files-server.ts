import { defineServer, type ServerDefinition } from '../define.js';
import { Roots } from './confine.js';
import { filesOptions } from './files-options.js';
import { readTools } from './read-tools.js';
import { searchFilesTool } from './search-files.js';
import { writeTools } from './write-tools.js';

/**
 * The `files` built-in: the read tools always, the write tools only when readOnly is false (a
 * read-only server does not list them at all, so there is nothing to call or to be talked into).
 */
export function filesServer(raw: Record<string, unknown>): ServerDefinition {
  const options = filesOptions(raw);
  const roots = new Roots(options.roots);
  const tools = [...readTools(roots, options), searchFilesTool(roots, options), ...(options.readOnly ? [] : writeTools(roots, options))];
  return defineServer({
    name: 'outlet-files',
    instructions: `Files under ${roots.list.join(', ')}${options.readOnly ? ' (read-only)' : ''}. Paths are absolute or relative to ${roots.list[0]}; ".." and symbolic links are refused.`,
    tools,
  });
}
