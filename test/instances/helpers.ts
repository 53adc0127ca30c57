import { fileURLToPath } from 'node:url';
import type { Client } from '@modelcontextprotocol/client';
import { fetcherOf, type Fetcher } from '../helpers/mcp-request.js';
import type { InstancesStatus } from '../../src/supervisor/instance-strategy.js';

/** The probe server: each process tells its own id and call count. */
export const PROBE = fileURLToPath(new URL('./probe-server.mjs', import.meta.url));

export interface Probe {
  id: string;
  calls: number;
  answer?: string;
}

/** Calls a probe tool and reads its JSON answer; a tool error fails the call with its text. */
export async function probe(client: Client, name: string, args: Record<string, unknown> = {}): Promise<Probe> {
  const result = await client.callTool({ name, arguments: args });
  const text = (result.content as { type: string; text: string }[])[0]?.text ?? '';
  if (result.isError) throw new Error(text);
  return JSON.parse(text) as Probe;
}

/** One upstream's `instances` block from /ready (of a gateway by URL, or in process by its fetch). */
export async function instancesOf(base: string | Fetcher, server: string): Promise<InstancesStatus & { state: string }> {
  const body = (await (await fetcherOf(base)('/ready')).json()) as { upstreams: { name: string; state: string; instances?: InstancesStatus }[] };
  const up = body.upstreams.find((u) => u.name === server);
  if (!up?.instances) throw new Error(`no instances status for "${server}"`);
  return { ...up.instances, state: up.state };
}

/** Whether a host process is still there. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
