/**
 * What the docker and podman command lines look like, as far as the outlet needs to read them: which
 * flags stand alone and which take a value. Both CLIs parse with pflag, so `--name=value`,
 * `--name value`, `-e value`, `-evalue` and clustered booleans (`-it`) all occur in pasted configs.
 * A flag missing from these tables is read as taking a value; the tables cover both CLIs' booleans.
 */

/** `run` options that take no value (a `--flag=false` form is read by its value). */
export const RUN_BOOLEAN = new Set([
  '--interactive',
  '--tty',
  '--detach',
  '--rm',
  '--privileged',
  '--init',
  '--read-only',
  '--read-only-tmpfs',
  '--publish-all',
  '--quiet',
  '--no-healthcheck',
  '--oom-kill-disable',
  '--sig-proxy',
  '--disable-content-trust',
  '--help',
  '--replace',
  '--rmi',
  '--no-hosts',
  '--env-host',
  '--http-proxy',
  '--tls-verify',
  '--passwd',
]);

/** Short `run` options and the long name each stands for. */
export const RUN_SHORT: Record<string, string> = {
  i: '--interactive',
  t: '--tty',
  d: '--detach',
  P: '--publish-all',
  q: '--quiet',
  e: '--env',
  v: '--volume',
  p: '--publish',
  u: '--user',
  w: '--workdir',
  m: '--memory',
  h: '--hostname',
  l: '--label',
  a: '--attach',
  c: '--cpu-shares',
};

/** Long `run` options that are another's alias. */
export const RUN_ALIAS: Record<string, string> = { '--net': '--network' };

/** Options given before `run` that take no value (the rest take one, e.g. `--url`, `--host`). */
export const GLOBAL_BOOLEAN = new Set(['--remote', '-r', '--tls', '--tlsverify', '--debug', '-D', '--syslog', '--noout']);

/**
 * Variables that configure the engine's CLI (where its socket is, which runtime, its config files).
 * They are handed to the CLI from the gateway's environment and never passed into the container.
 */
export const ENGINE_VARIABLES = [
  'DOCKER_HOST',
  'DOCKER_CONTEXT',
  'DOCKER_CONFIG',
  'DOCKER_CERT_PATH',
  'DOCKER_TLS_VERIFY',
  'DOCKER_API_VERSION',
  'CONTAINER_HOST',
  'CONTAINER_CONNECTION',
  'CONTAINER_SSHKEY',
  'CONTAINERS_CONF',
  'CONTAINERS_REGISTRIES_CONF',
  'CONTAINERS_STORAGE_CONF',
  'XDG_RUNTIME_DIR',
  'XDG_CONFIG_HOME',
  'XDG_DATA_HOME',
];
