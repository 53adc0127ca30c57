import type { ListKind } from '../protocol/mcp-endpoint.js';

type Lists = { tools: unknown[]; prompts: unknown[]; resources: unknown[]; resourceTemplates: unknown[] };

/**
 * Remembers what each list looked like last time, so a catalog rebuild only notifies clients
 * about the lists that really changed (a reconnect that yields the same tools stays silent).
 */
export class ListFingerprint {
  private last = new Map<ListKind, string>();

  changed(lists: Lists): Set<ListKind> {
    const next = new Map<ListKind, string>([
      ['tools', JSON.stringify(lists.tools)],
      ['prompts', JSON.stringify(lists.prompts)],
      ['resources', JSON.stringify([lists.resources, lists.resourceTemplates])],
    ]);
    const out = new Set<ListKind>();
    for (const [kind, print] of next) if (this.last.get(kind) !== print) out.add(kind);
    this.last = next;
    return out;
  }
}
