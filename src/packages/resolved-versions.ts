import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** What a tag or range resolved to, and when: the cache's answer for an offline start. */
export interface Remembered {
  version: string;
  resolvedAt: number;
}

export function recall(file: string): Remembered | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<Remembered>;
    return typeof value.version === 'string' && typeof value.resolvedAt === 'number' ? { version: value.version, resolvedAt: value.resolvedAt } : undefined;
  } catch {
    return undefined;
  }
}

/** Written to a temporary file and renamed, so a reader never sees half a record. */
export function remember(file: string, version: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ version, resolvedAt: Date.now() }));
  renameSync(tmp, file);
}
