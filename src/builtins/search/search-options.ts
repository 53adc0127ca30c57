/** The search built-in's options as its process receives them (see config/builtins/search.ts). */
export interface SearchOptions {
  roots: string[];
  maxFileBytes: number;
  maxFiles: number;
  rescanSeconds: number;
  maxResults: number;
}

export function searchOptions(raw: Record<string, unknown>): SearchOptions {
  const roots = raw.roots;
  if (!Array.isArray(roots) || roots.length === 0 || !roots.every((r) => typeof r === 'string' && r.startsWith('/'))) {
    throw new Error('search: options.roots must be a non-empty list of absolute paths');
  }
  const num = (key: string, fallback: number): number => (typeof raw[key] === 'number' && (raw[key] as number) > 0 ? (raw[key] as number) : fallback);
  return { roots: roots as string[], maxFileBytes: num('maxFileBytes', 1024 * 1024), maxFiles: num('maxFiles', 20_000), rescanSeconds: num('rescanSeconds', 10), maxResults: num('maxResults', 50) };
}
