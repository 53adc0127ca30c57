import picomatch from 'picomatch';

/**
 * Builds a predicate over an upstream's own (unprefixed) tool names from include/exclude globs.
 * An empty include list lets every name in; exclude always wins over include. `dot: true` because
 * tool names are not paths: a leading "." should not hide a name from `*`.
 *
 * @example
 * const keep = createToolFilter({ include: ['read_*'], exclude: ['read_secret'] });
 * keep('read_file');   // true
 * keep('read_secret'); // false
 * keep('write_file');  // false
 */
export function createToolFilter(filter: { include: string[]; exclude: string[] }): (name: string) => boolean {
  const options = { dot: true };
  const included = filter.include.length === 0 ? () => true : picomatch(filter.include, options);
  const excluded = filter.exclude.length === 0 ? () => false : picomatch(filter.exclude, options);
  return (name) => included(name) && !excluded(name);
}
