/**
 * Environment variables an inline server's caller may not set, because they change which code a
 * runtime, launcher or the C library loads, or where it is fetched from: `NODE_OPTIONS=--import=
 * data:...` runs code before the allowed package, `PATH` makes `npx` resolve to a planted file,
 * `LD_PRELOAD`/`GCONV_PATH` load a shared object into any program, `npm_config_*`/`UV_*`/`PIP_*`
 * point a launcher at another registry or cache, `BASH_ENV`/`SHELLOPTS`/`BASH_FUNC_*` run code in
 * any shell script on the way. HOME and the temp directories are the sandbox's own (scratch,
 * private /tmp), and proxies and CA bundles decide where traffic goes and whom it trusts.
 * Compared case-insensitively, so `Path` or `node_options` are refused as well.
 */
const EXACT = new Set([
  'PATH',
  'HOME',
  'TMPDIR',
  'TMP',
  'TEMP',
  'SHELL',
  'ENV',
  'BASH_ENV',
  'SHELLOPTS',
  'BASHOPTS',
  'PS4',
  'IFS',
  'CDPATH',
  'GCONV_PATH',
  'GLIBC_TUNABLES',
  'LOCPATH',
  'HOSTALIASES',
  'RESOLV_HOST_CONF',
  'OPENSSL_CONF',
  'OPENSSL_ENGINES',
  'OPENSSL_MODULES',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'REQUESTS_CA_BUNDLE',
  'CURL_CA_BUNDLE',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'ALL_PROXY',
  'NO_PROXY',
  'VIRTUAL_ENV',
  'PERL5LIB',
  'PERL5OPT',
  'PERLLIB',
  'RUBYOPT',
  'RUBYLIB',
  'CLASSPATH',
  'JAVA_TOOL_OPTIONS',
  '_JAVA_OPTIONS',
  'JDK_JAVA_OPTIONS',
]);

/** Whole families: every variable that starts so is refused (NODE_ENV alone is kept: servers read it, Node does not). */
const PREFIXES = ['LD_', 'DYLD_', 'NODE_', 'PYTHON', 'NPM_CONFIG_', 'NPM_', 'UV_', 'PIP_', 'PIPX_', 'BUN_', 'PNPM_', 'YARN_', 'COREPACK_', 'DENO_', 'CONDA_', 'GIT_', 'GEM_', 'BASH_FUNC_', 'XDG_', 'MALLOC_'];
const KEPT = new Set(['NODE_ENV']);

/** A name the shell and every runtime read the same way: no `=`, no NUL, no spaces. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Why the caller may not set `name`, or undefined when it may.
 *
 * @example
 * inlineEnvRefusal('NODE_OPTIONS'); // 'NODE_OPTIONS changes how ...'
 * inlineEnvRefusal('API_REGION'); // undefined
 */
export function inlineEnvRefusal(name: string): string | undefined {
  if (!NAME.test(name)) return `${JSON.stringify(name)} is not a plain variable name (letters, digits and "_", not starting with a digit)`;
  const upper = name.toUpperCase();
  if (KEPT.has(upper)) return undefined;
  if (EXACT.has(upper) || PREFIXES.some((prefix) => upper.startsWith(prefix))) {
    return `${name} changes how a runtime or launcher loads code (or where it fetches it from, or the sandbox's own HOME, temp and proxy settings); inline servers may not set it`;
  }
  return undefined;
}
