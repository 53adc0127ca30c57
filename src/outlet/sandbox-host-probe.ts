import { provideSandboxHostProbe } from '../config/sandbox-host.js';
import { detectSandboxSupport } from '../sandbox/detect-support.js';

/**
 * Lets config resolution measure this host: whether bwrap works here decides the backend of a
 * server whose sandbox block names none. The entries that run on Node call it as they load, before
 * any config is resolved: the sandbox runtime itself loads only when the first command server
 * starts, which is later. The fetch entry (Workers, Deno, Bun) does not: it cannot spawn a
 * process, and measuring runs bwrap.
 */
export function measureSandboxHost(): void {
  provideSandboxHostProbe(detectSandboxSupport);
}
