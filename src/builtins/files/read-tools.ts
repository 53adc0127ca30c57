import { fstatSync, lstatSync, opendirSync, type Stats } from 'node:fs';
import * as z from 'zod';
import { defineTool, type ToolDefinition } from '../define.js';
import type { Roots } from './confine.js';
import type { FilesOptions } from './files-options.js';
import { explain, openDir, openParent } from './open-at.js';
import { decode, readBytes } from './read-file.js';

const pathArg = (what: string) => z.string().describe(`${what}: absolute, or relative to the first root`);
const readHints = { readOnlyHint: true, openWorldHint: false } as const;

export function kindOf(stat: Stats): 'file' | 'directory' | 'symlink' | 'other' {
  return stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : stat.isSymbolicLink() ? 'symlink' : 'other';
}

export function readTools(roots: Roots, options: FilesOptions): ToolDefinition[] {
  const readFile = defineTool({
    name: 'read_file',
    description: `Reads a file under the roots (${roots.list.join(', ')}): UTF-8 text, or base64 for other bytes. At most ${options.maxReadBytes} bytes per call; use offset and length for a part of a larger file.`,
    input: z.object({
      path: pathArg('The file'),
      offset: z.int().min(0).optional().describe('First byte to read (default 0)'),
      length: z.int().min(0).optional().describe('Bytes to read (default: to the end)'),
    }),
    annotations: readHints,
    run: ({ path, offset, length }) => {
      const target = roots.locate(path, 'path');
      const { bytes, size } = readBytes(target, options.maxReadBytes, { ...(offset !== undefined ? { offset } : {}), ...(length !== undefined ? { length } : {}) });
      const { text, encoding } = decode(bytes);
      if (encoding === 'utf-8' && offset === undefined && length === undefined) return text;
      return { content: [{ type: 'text', text }], _meta: { encoding, size, offset: offset ?? 0, length: bytes.length } };
    },
  });

  const fileInfo = defineTool({
    name: 'file_info',
    description: 'Type, size, times and permissions of a file or folder under the roots (links are not followed).',
    input: z.object({ path: pathArg('The file or folder') }),
    output: z.object({ path: z.string(), type: z.string(), size: z.number(), modified: z.string(), created: z.string(), accessed: z.string(), mode: z.string() }),
    annotations: readHints,
    run: ({ path }) => {
      const target = roots.locate(path, 'path');
      let stat: Stats;
      if (target.names.length === 0) {
        const dir = openDir(target, 'path');
        try {
          stat = fstatSync(dir.fd);
        } finally {
          dir.close();
        }
      } else {
        const { dir, name } = openParent(target, 'path');
        try {
          stat = lstatSync(dir.at(name));
        } catch (err) {
          throw explain(err, target.path, 'path');
        } finally {
          dir.close();
        }
        if (stat.isSymbolicLink()) throw explain({ code: 'ELOOP' }, target.path, 'path');
      }
      return { path: target.path, type: kindOf(stat), size: stat.size, modified: stat.mtime.toISOString(), created: stat.birthtime.toISOString(), accessed: stat.atime.toISOString(), mode: (stat.mode & 0o7777).toString(8).padStart(4, '0') };
    },
  });

  const listDirectory = defineTool({
    name: 'list_directory',
    description: `Lists a folder under the roots: name, type (file, directory, symlink, other) and size of each entry, at most ${options.maxListEntries}. Without a path: the first root.`,
    input: z.object({ path: pathArg('The folder').optional() }),
    output: z.object({ path: z.string(), entries: z.array(z.object({ name: z.string(), type: z.string(), size: z.number() })), truncated: z.boolean(), note: z.string().optional() }),
    annotations: readHints,
    run: ({ path }) => {
      const target = roots.locate(path ?? roots.list[0]!, 'path');
      const dir = openDir(target, 'path');
      const entries: { name: string; type: string; size: number }[] = [];
      let truncated = false;
      try {
        const reader = opendirSync(dir.at('.'));
        try {
          for (let entry = reader.readSync(); entry; entry = reader.readSync()) {
            if (entries.length === options.maxListEntries) {
              truncated = true;
              break;
            }
            let size = 0;
            try {
              size = entry.isFile() ? lstatSync(dir.at(entry.name)).size : 0;
            } catch {
              // gone since it was listed
            }
            entries.push({ name: entry.name, type: entry.isFile() ? 'file' : entry.isDirectory() ? 'directory' : entry.isSymbolicLink() ? 'symlink' : 'other', size });
          }
        } finally {
          reader.closeSync();
        }
      } finally {
        dir.close();
      }
      entries.sort((a, b) => a.name.localeCompare(b.name));
      const note = truncated ? `the folder holds more than ${options.maxListEntries} entries (maxListEntries); these are the first ${options.maxListEntries} read, not all of them` : undefined;
      return { path: target.path, entries, truncated, ...(note ? { note } : {}) };
    },
  });

  return [readFile, fileInfo, listDirectory] as ToolDefinition[];
}
