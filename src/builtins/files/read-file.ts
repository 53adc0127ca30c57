import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { explain, isLink, openParent } from './open-at.js';
import type { Confined } from './confine.js';

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = constants;

/** Opens a file for reading without following a link; a FIFO or device is refused, not waited on. */
export function openFile(target: Confined, argument: string): { fd: number; stat: Stats } {
  const { dir, name } = openParent(target, argument);
  let fd: number;
  try {
    fd = openSync(dir.at(name), O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw explain(code === 'ENXIO' || (code === 'ENOTDIR' && isLink(dir.at(name))) ? { code: 'ELOOP' } : err, target.path, argument);
  } finally {
    dir.close();
  }
  const stat = fstatSync(fd);
  if (!stat.isFile()) {
    closeSync(fd);
    throw new Error(`${argument}: "${target.path}" is ${stat.isDirectory() ? 'a folder' : 'not a regular file'}`);
  }
  return { fd, stat };
}

/** Reads `length` bytes at `offset` (the whole file when both are absent), within `cap` bytes. */
export function readBytes(target: Confined, cap: number, range: { offset?: number; length?: number } = {}): { bytes: Buffer; size: number } {
  const { fd, stat } = openFile(target, 'path');
  try {
    const offset = range.offset ?? 0;
    const wanted = range.length ?? Math.max(0, stat.size - offset);
    if (wanted > cap) {
      const hint = range.length === undefined ? '; read a part with offset and length' : '';
      throw new Error(`path: "${target.path}" is ${stat.size.toLocaleString('en-US')} bytes${range.offset ? ` (${wanted.toLocaleString('en-US')} from offset ${offset})` : ''}, over the read cap of ${cap.toLocaleString('en-US')} bytes (maxReadBytes)${hint}`);
    }
    const bytes = Buffer.alloc(Math.min(wanted, cap));
    let got = 0;
    while (got < bytes.length) {
      const n = readSync(fd, bytes, got, bytes.length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    return { bytes: bytes.subarray(0, got), size: stat.size };
  } finally {
    closeSync(fd);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 text when the bytes are text, else base64 (a model can still be told what it got). */
export function decode(bytes: Buffer): { text: string; encoding: 'utf-8' | 'base64' } {
  try {
    const text = utf8.decode(bytes);
    if (!text.includes('\0')) return { text, encoding: 'utf-8' };
  } catch {
    // not UTF-8: fall through
  }
  return { text: bytes.toString('base64'), encoding: 'base64' };
}
