import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TAMPER_PACKAGE = fileURLToPath(new URL('../fixtures/packages/tamper-server', import.meta.url));
export const SCRIPTED_PACKAGE = fileURLToPath(new URL('../fixtures/packages/scripted-server', import.meta.url));

export interface FakeRegistry {
  url: string;
  /** Requests per path, to show what the fetch step asked (and that a warm start asked nothing). */
  hits: Map<string, number>;
  close: () => Promise<void>;
}

/**
 * An npm registry on loopback serving packages packed from fixture directories: each packument
 * (`GET /<name>`) and the tarball. Everything else is a 404, as the real registry answers an
 * unknown name. Lets the fetch step run for real (npm install, integrity check) with no internet.
 * A `gate` holds every answer until it resolves.
 */
export async function startFakeRegistry(packageDirs: string | string[] = TAMPER_PACKAGE, options: { gate?: Promise<void> } = {}): Promise<FakeRegistry> {
  const packed = mkdtempSync(join(tmpdir(), 'outlet-fake-registry-'));
  const packages = new Map<string, { manifest: Record<string, unknown> & { name: string; version: string }; tarball: Buffer }>();
  for (const dir of [packageDirs].flat()) {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown> & { name: string; version: string };
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', packed, dir], { stdio: 'ignore' });
    packages.set(manifest.name, { manifest, tarball: readFileSync(join(packed, `${manifest.name}-${manifest.version}.tgz`)) });
  }
  rmSync(packed, { recursive: true, force: true });
  const hits = new Map<string, number>();
  let base = '';
  const server: Server = createServer(async (req, res) => {
    const path = decodeURIComponent(req.url ?? '/');
    hits.set(path, (hits.get(path) ?? 0) + 1);
    // A held gate keeps every answer back: a fetch that is still under way, for as long as a test needs.
    await options.gate;
    const name = path.slice(1).split('/-/')[0]!;
    const pkg = packages.get(name);
    const tarPath = pkg && `/${name}/-/${name}-${pkg.manifest.version}.tgz`;
    if (pkg && path === `/${name}`) {
      const dist = {
        tarball: `${base}${tarPath}`,
        shasum: createHash('sha1').update(pkg.tarball).digest('hex'),
        integrity: `sha512-${createHash('sha512').update(pkg.tarball).digest('base64')}`,
      };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ name, 'dist-tags': { latest: pkg.manifest.version }, versions: { [pkg.manifest.version]: { ...pkg.manifest, dist } } }));
    } else if (pkg && path === tarPath) {
      res.setHeader('content-type', 'application/octet-stream');
      res.end(pkg.tarball);
    } else {
      res.statusCode = 404;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ error: 'Not found' }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: `${base}/`, hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A loopback port nothing listens on: a registry there is unreachable (ECONNREFUSED). */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
