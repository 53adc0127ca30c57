import { statfs } from 'node:fs/promises';
import { arch, cpus, freemem, loadavg, platform, release, totalmem, type, uptime } from 'node:os';
import * as z from 'zod';
import { defineServer, defineTool, type ServerDefinition } from '../define.js';
import { proxiedGet } from './proxied-get.js';

const READY_TIMEOUT_MS = 5_000;

const upstream = z.object({ name: z.string(), state: z.string(), restarts: z.number().optional(), tools: z.number().optional(), lastError: z.string().optional() });

/** The `system` built-in: the machine, its load, and the outlet's own upstreams (the gateway's /ready). */
export function systemServer(options: { gatewayUrl: string; disks?: string[] }): ServerDefinition {
  const ready = new URL('/ready', options.gatewayUrl);
  const disks = options.disks ?? ['/'];
  return defineServer({
    name: 'outlet-system',
    tools: [
      defineTool({
        name: 'get_system_info',
        description: 'What the machine is: OS, kernel, architecture, CPU model and count, total memory, the Node.js version serving this.',
        input: z.object({}),
        output: z.object({ os: z.string(), kernel: z.string(), platform: z.string(), arch: z.string(), cpuModel: z.string(), cpuCount: z.number(), memoryBytes: z.number(), node: z.string() }),
        annotations: { readOnlyHint: true, openWorldHint: false },
        run: () => {
          const list = cpus();
          return { os: type(), kernel: release(), platform: platform(), arch: arch(), cpuModel: list[0]?.model ?? 'unknown', cpuCount: list.length, memoryBytes: totalmem(), node: process.version };
        },
      }),
      defineTool({
        name: 'get_system_status',
        description: 'How the machine and the outlet are doing: load averages, free memory, uptime, free space of the configured disks, and each upstream server of the gateway with its state, restarts and tool count.',
        input: z.object({}),
        output: z.object({
          load: z.array(z.number()),
          memory: z.object({ freeBytes: z.number(), totalBytes: z.number() }),
          uptimeSeconds: z.number(),
          disks: z.array(z.object({ path: z.string(), totalBytes: z.number().optional(), freeBytes: z.number().optional(), error: z.string().optional() })),
          gateway: z.object({ url: z.string(), ready: z.boolean().optional(), upstreams: z.array(upstream).optional(), error: z.string().optional() }),
        }),
        annotations: { readOnlyHint: true, openWorldHint: false },
        run: async () => ({
          load: loadavg(),
          memory: { freeBytes: freemem(), totalBytes: totalmem() },
          uptimeSeconds: uptime(),
          disks: await Promise.all(disks.map(diskOf)),
          gateway: await gatewayStatus(ready),
        }),
      }),
    ],
  });
}

async function diskOf(path: string): Promise<{ path: string; totalBytes?: number; freeBytes?: number; error?: string }> {
  try {
    const s = await statfs(path);
    return { path, totalBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize };
  } catch (err) {
    return { path, error: (err as Error).message };
  }
}

async function gatewayStatus(ready: URL): Promise<{ url: string; ready?: boolean; upstreams?: z.output<typeof upstream>[]; error?: string }> {
  const url = ready.origin;
  try {
    const answer = await proxiedGet(ready, READY_TIMEOUT_MS);
    if (answer.status !== 200 && answer.status !== 503) return { url, error: `${ready.href} answered HTTP ${answer.status}` };
    const body = JSON.parse(answer.body) as { ready?: boolean; upstreams?: Record<string, unknown>[] };
    const upstreams = (body.upstreams ?? []).map((u) => ({
      name: String(u.name),
      state: String(u.state),
      ...(typeof u.restarts === 'number' ? { restarts: u.restarts } : {}),
      ...(typeof u.tools === 'number' ? { tools: u.tools } : {}),
      ...(typeof u.lastError === 'string' ? { lastError: u.lastError } : {}),
    }));
    return { url, ready: body.ready === true, upstreams };
  } catch (err) {
    return { url, error: `could not read ${ready.href}: ${(err as Error).message}` };
  }
}
