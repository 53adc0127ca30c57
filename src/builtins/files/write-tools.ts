import { closeSync, constants, fstatSync, ftruncateSync, lstatSync, openSync, renameSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import * as z from 'zod';
import { defineTool, type ToolDefinition } from '../define.js';
import type { Roots } from './confine.js';
import type { FilesOptions } from './files-options.js';
import { explain, isLink, openParent } from './open-at.js';

const { O_WRONLY, O_CREAT, O_NOFOLLOW, O_NONBLOCK } = constants;
const hints = { readOnlyHint: false, destructiveHint: true, openWorldHint: false } as const;

/** lstat of an entry that must exist and must not be a link. */
function entryStat(at: string, shown: string, argument: string) {
  let stat;
  try {
    stat = lstatSync(at);
  } catch (err) {
    throw explain(err, shown, argument);
  }
  if (stat.isSymbolicLink()) throw explain({ code: 'ELOOP' }, shown, argument);
  return stat;
}

function exists(at: string): boolean {
  try {
    lstatSync(at);
    return true;
  } catch {
    return false;
  }
}

export function writeTools(roots: Roots, options: FilesOptions): ToolDefinition[] {
  const writeFile = defineTool({
    name: 'write_file',
    description: `Writes a file under the roots, replacing what it held (UTF-8 text, or base64 with encoding "base64"). At most ${options.maxWriteBytes} bytes. The folder must exist unless createParents is true.`,
    input: z.object({
      path: z.string().describe('The file: absolute, or relative to the first root'),
      content: z.string().describe('What the file will hold'),
      encoding: z.enum(['utf-8', 'base64']).optional().describe('How content is written; default utf-8'),
      createParents: z.boolean().optional().describe('Make missing folders on the way (default false)'),
    }),
    output: z.object({ path: z.string(), bytes: z.number(), created: z.boolean() }),
    annotations: hints,
    run: ({ path, content, encoding, createParents }) => {
      const target = roots.locate(path, 'path');
      const bytes = Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8');
      if (bytes.length > options.maxWriteBytes) throw new Error(`content: ${bytes.length.toLocaleString('en-US')} bytes, over the write cap of ${options.maxWriteBytes.toLocaleString('en-US')} bytes (maxWriteBytes); nothing was written`);
      const { dir, name } = openParent(target, 'path', createParents === true);
      let fd: number;
      const created = !exists(dir.at(name));
      try {
        // O_NOFOLLOW: a link put where the file was is refused, never written through.
        fd = openSync(dir.at(name), O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK, 0o644);
      } catch (err) {
        throw explain((err as NodeJS.ErrnoException).code === 'ENXIO' || isLink(dir.at(name)) ? { code: 'ELOOP' } : err, target.path, 'path');
      } finally {
        dir.close();
      }
      try {
        const stat = fstatSync(fd);
        if (!stat.isFile()) throw new Error(`path: "${target.path}" is not a regular file`);
        // Another name for the same file may lie outside the roots: such a file is not written to.
        if (stat.nlink > 1) throw new Error(`path: "${target.path}" has ${stat.nlink} hard links; a file with other names is not written to`);
        // Truncated only now, after the checks, so a refused file keeps what it held.
        ftruncateSync(fd, 0);
        writeAll(fd, bytes);
      } finally {
        closeSync(fd);
      }
      return { path: target.path, bytes: bytes.length, created };
    },
  });

  const moveFile = defineTool({
    name: 'move_file',
    description: 'Moves or renames a file or folder within the roots. Refuses when the destination exists.',
    input: z.object({ source: z.string().describe('What to move'), destination: z.string().describe('Its new path (must not exist)') }),
    output: z.object({ source: z.string(), destination: z.string() }),
    annotations: hints,
    run: ({ source, destination }) => {
      const from = roots.locate(source, 'source');
      const to = roots.locate(destination, 'destination');
      const a = openParent(from, 'source');
      try {
        const b = openParent(to, 'destination');
        try {
          entryStat(a.dir.at(a.name), from.path, 'source');
          if (exists(b.dir.at(b.name))) throw new Error(`destination: "${to.path}" already exists; nothing was moved`);
          try {
            renameSync(a.dir.at(a.name), b.dir.at(b.name));
          } catch (err) {
            throw explain(err, `${from.path} -> ${to.path}`, 'source');
          }
        } finally {
          b.dir.close();
        }
      } finally {
        a.dir.close();
      }
      return { source: from.path, destination: to.path };
    },
  });

  const deleteFile = defineTool({
    name: 'delete_file',
    description: 'Deletes a file, or an empty folder, under the roots.',
    input: z.object({ path: z.string().describe('The file or empty folder') }),
    output: z.object({ path: z.string(), deleted: z.string() }),
    annotations: hints,
    run: ({ path }) => {
      const target = roots.locate(path, 'path');
      const { dir, name } = openParent(target, 'path');
      try {
        const stat = entryStat(dir.at(name), target.path, 'path');
        try {
          if (stat.isDirectory()) rmdirSync(dir.at(name));
          else unlinkSync(dir.at(name));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOTEMPTY') throw new Error(`path: "${target.path}" is a folder that is not empty; delete its files first`, { cause: err });
          throw explain(err, target.path, 'path');
        }
        return { path: target.path, deleted: stat.isDirectory() ? 'directory' : 'file' };
      } finally {
        dir.close();
      }
    },
  });

  return [writeFile, moveFile, deleteFile] as ToolDefinition[];
}

/** Writes every byte (writeSync may write fewer than asked). */
function writeAll(fd: number, bytes: Buffer): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, done);
}
