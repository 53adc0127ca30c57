/** Compiles a configured pattern (`pattern` or `/pattern/flags`), always global; undefined when it does not compile. */
export function compileUserPattern(source: string): RegExp | undefined {
  const literal = /^\/(.+)\/([a-z]*)$/s.exec(source);
  const body = literal ? literal[1]! : source;
  const flags = literal ? literal[2]! : '';
  try {
    return new RegExp(body, flags.includes('g') ? flags : `${flags}g`);
  } catch {
    return undefined;
  }
}
