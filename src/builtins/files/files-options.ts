/** The files built-in's options as its process receives them (paths absolute; see config/builtins/files.ts). */
export interface FilesOptions {
  roots: string[];
  readOnly: boolean;
  maxReadBytes: number;
  maxWriteBytes: number;
  maxListEntries: number;
  maxSearchResults: number;
  maxSearchFiles: number;
}

const MIB = 1024 * 1024;

/** The config fills these in; a process started by hand (a test, `outlet builtin files`) gets the same. */
export function filesOptions(raw: Record<string, unknown>): FilesOptions {
  const roots = raw.roots;
  if (!Array.isArray(roots) || roots.length === 0 || !roots.every((r) => typeof r === 'string' && r.startsWith('/'))) {
    throw new Error('files: options.roots must be a non-empty list of absolute paths');
  }
  const num = (key: string, fallback: number): number => (typeof raw[key] === 'number' && (raw[key] as number) > 0 ? (raw[key] as number) : fallback);
  return {
    roots: roots as string[],
    readOnly: raw.readOnly !== false,
    maxReadBytes: num('maxReadBytes', MIB),
    maxWriteBytes: num('maxWriteBytes', MIB),
    maxListEntries: num('maxListEntries', 1000),
    maxSearchResults: num('maxSearchResults', 200),
    maxSearchFiles: num('maxSearchFiles', 20_000),
  };
}
