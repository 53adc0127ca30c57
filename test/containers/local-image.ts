import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('./fixtures/bare-server.mjs', import.meta.url));

/**
 * Podman settings this test host needs, in a containers.conf handed to the CLI through the entry's
 * CONTAINERS_CONF: runc, because crun refuses a hybrid cgroup layout whose v2 mount holds a
 * controller ("cgroups in hybrid mode not supported, drop all controllers from cgroupv2"); and
 * rlimits below the host's hard ones, because rootful podman asks for nofile and nproc of about a
 * million, which a gateway that is itself in a container may not raise to ("setrlimit
 * RLIMIT_NOFILE: Operation not permitted"). docs/containers.md says the same.
 */
export const CONTAINERS_CONF = '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n[engine]\nruntime = "runc"\n';

export interface LocalImage {
  name: string;
  /** The containers.conf to pass as CONTAINERS_CONF. */
  conf: string;
  remove(): void;
}

/**
 * Builds an image with no registry: a root filesystem of the host's own Node binary, the libraries
 * `ldd` lists for it, and the dependency-free server, imported with `podman import` and started by
 * default as `node /server.mjs`.
 *
 * @example
 * const image = buildLocalImage(); // image.name: 'localhost/outlet-bare-server:<pid>'
 */
export function buildLocalImage(): LocalImage {
  const dir = mkdtempSync(join(tmpdir(), 'outlet-image-'));
  const root = join(dir, 'root');
  const node = realpathSync(process.execPath);
  const libraries = [...execFileSync('ldd', [node], { encoding: 'utf8' }).matchAll(/(\/\S+) \(0x/g)].map((m) => m[1]!);
  for (const file of [node, ...libraries]) {
    mkdirSync(join(root, dirname(file)), { recursive: true });
    copyFileSync(realpathSync(file), join(root, file));
  }
  mkdirSync(join(root, 'usr/bin'), { recursive: true });
  if (node !== '/usr/bin/node') copyFileSync(node, join(root, 'usr/bin/node'));
  mkdirSync(join(root, 'tmp'));
  copyFileSync(SERVER, join(root, 'server.mjs'));
  const tar = join(dir, 'root.tar');
  execFileSync('tar', ['-C', root, '-cf', tar, '.']);
  const name = `localhost/outlet-bare-server:${process.pid}`;
  const conf = join(dir, 'containers.conf');
  writeFileSync(conf, CONTAINERS_CONF);
  execFileSync('podman', ['import', '--change', 'CMD ["/usr/bin/node", "/server.mjs"]', tar, name], { env: { ...process.env, CONTAINERS_CONF: conf }, stdio: 'pipe' });
  rmSync(root, { recursive: true, force: true });
  rmSync(tar, { force: true });
  return {
    name,
    conf,
    remove: () => {
      execFileSync('podman', ['rmi', '--force', name], { env: { ...process.env, CONTAINERS_CONF: conf }, stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
