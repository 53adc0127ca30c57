import { Client } from '@modelcontextprotocol/client';
import type { Transport } from '@modelcontextprotocol/client';
import { expect } from 'vitest';
import { eventually } from '../helpers/outlet.js';
import { structuredFor } from '../fixtures/matrix/server.js';

// The coordinates and the per-feature checks of the protocol matrix: every client era,
// against both upstream eras, through every inbound transport, exercising what a gateway most
// often drops. The test files pick the transport; the checks here are the same everywhere.

export type ClientEra = '2025-06-18' | '2025-11-25' | '2026-07-28';
export const CLIENT_ERAS: readonly ClientEra[] = ['2025-06-18', '2025-11-25', '2026-07-28'];

export interface Upstream {
  /** The server's name in the outlet config. */
  name: 'm2025' | 'm2026';
  /** The entry's `protocol`: how the outlet talks to it. */
  protocol: 'legacy' | 'auto';
  /** The era the outlet ends up speaking with it. */
  version: '2025-11-25' | '2026-07-28';
  /** Its subscribable resource (one per instance: URIs are published unprefixed). */
  watched: string;
}

export const UPSTREAMS: readonly Upstream[] = [
  { name: 'm2025', protocol: 'legacy', version: '2025-11-25', watched: 'matrix://m2025/watched' },
  { name: 'm2026', protocol: 'auto', version: '2026-07-28', watched: 'matrix://m2026/watched' },
];

/** The outlet's config entry running the matrix fixture over stdio. */
export function fixtureEntry(up: Upstream, repoRoot: string): Record<string, unknown> {
  return {
    command: process.execPath,
    args: ['--import', 'tsx', 'test/fixtures/matrix/main.ts', '--watched', up.watched],
    cwd: repoRoot,
    protocol: up.protocol,
  };
}

export function fixtureServers(repoRoot: string): Record<string, unknown> {
  return Object.fromEntries(UPSTREAMS.map((up) => [up.name, fixtureEntry(up, repoRoot)]));
}

/** How an SDK v2 client is told to speak each era. */
export function clientOptions(era: ClientEra): Record<string, unknown> {
  switch (era) {
    case '2025-06-18':
      return { supportedProtocolVersions: ['2025-06-18'] };
    case '2025-11-25':
      return {}; // the default: plain 2025 handshake at the latest 2025-era version
    case '2026-07-28':
      return { versionNegotiation: { mode: { pin: '2026-07-28' } } };
  }
}

export const ROOTS = [
  { uri: 'file:///matrix/alpha', name: 'alpha' },
  { uri: 'file:///matrix/beta', name: 'beta' },
];
export const ELICITED = { name: 'Ada' };

/** What the client's handlers were asked, and what reached it unprompted. */
export interface Seen {
  sampling: unknown[];
  elicitation: unknown[];
  roots: number;
  updates: string[];
}

export interface MatrixClient {
  client: Client;
  seen: Seen;
  era: ClientEra;
  /** Its sampling handler answers "answer for <label>". */
  label: string;
}

/**
 * A client of one era that can answer sampling, elicitation and roots (on 2026-07-28 the SDK
 * fulfils `input_required` through these same handlers) and records every call.
 */
export async function connectMatrixClient(era: ClientEra, transport: Transport, label: string): Promise<MatrixClient> {
  const seen: Seen = { sampling: [], elicitation: [], roots: 0, updates: [] };
  const client = new Client(
    { name: `matrix-${label}`, version: '1.0.0' },
    { capabilities: { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } }, ...clientOptions(era) },
  );
  client.setRequestHandler('sampling/createMessage', async (req) => {
    seen.sampling.push(req.params);
    return { model: 'matrix-model', role: 'assistant', content: { type: 'text', text: `answer for ${label}` } };
  });
  client.setRequestHandler('elicitation/create', async (req) => {
    seen.elicitation.push(req.params);
    return { action: 'accept', content: ELICITED };
  });
  client.setRequestHandler('roots/list', async () => {
    seen.roots += 1;
    return { roots: ROOTS };
  });
  client.setNotificationHandler('notifications/resources/updated', (n) => {
    seen.updates.push(n.params.uri);
  });
  await client.connect(transport);
  return { client, seen, era, label };
}

/** Where a row's calls go: the tool name as its endpoint publishes it, and how to see the upstream's cancellation. */
export interface Row {
  mc: MatrixClient;
  up: Upstream;
  /** `slow` as published (`m2025__slow` on an aggregated endpoint). */
  tool: (name: string) => string;
  /** Resolves true once the upstream logged that the `slow` call with this marker saw its cancellation. */
  upstreamSawCancel: (marker: string) => Promise<boolean>;
}

function textOf(result: { content?: unknown }): string {
  const blocks = (result.content ?? []) as Array<{ type: string; text?: string }>;
  return blocks.map((b) => (b.type === 'text' ? b.text : `[${b.type}]`)).join('');
}

export async function checkProgress(row: Row): Promise<void> {
  const progress: number[] = [];
  const result = await row.mc.client.callTool({ name: row.tool('progress'), arguments: {} }, { onprogress: (p) => progress.push(p.progress) });
  expect(textOf(result)).toBe('done');
  // The SDK client can drop the very last notification that races the response (SDK issue 2580).
  expect(progress.length).toBeGreaterThanOrEqual(2);
  expect(progress).toEqual([...progress].sort((a, b) => a - b));
  for (const p of progress) expect([1, 2, 3]).toContain(p);
}

export async function checkSampling(row: Row): Promise<void> {
  const before = row.mc.seen.sampling.length;
  const prompt = `sample for ${row.mc.label} via ${row.up.name}`;
  const result = await row.mc.client.callTool({ name: row.tool('sample'), arguments: { prompt } });
  expect(textOf(result)).toBe(`sampled: answer for ${row.mc.label}`);
  const asked = row.mc.seen.sampling.slice(before);
  expect(asked).toHaveLength(1);
  expect(JSON.stringify(asked[0])).toContain(prompt);
}

export async function checkElicitation(row: Row): Promise<void> {
  const before = row.mc.seen.elicitation.length;
  const message = `who are you (${row.up.name})?`;
  const result = await row.mc.client.callTool({ name: row.tool('elicit'), arguments: { message } });
  expect(textOf(result)).toBe(`elicited: action=accept content=${JSON.stringify(ELICITED)}`);
  const asked = row.mc.seen.elicitation.slice(before);
  expect(asked).toHaveLength(1);
  expect((asked[0] as { message?: string }).message).toBe(message);
}

export async function checkRoots(row: Row): Promise<void> {
  const before = row.mc.seen.roots;
  const result = await row.mc.client.callTool({ name: row.tool('roots'), arguments: {} });
  expect(textOf(result)).toBe(`roots: ${ROOTS.map((r) => r.uri).join(',')}`);
  expect(row.mc.seen.roots - before).toBe(1);
}

export async function checkStructured(row: Row): Promise<void> {
  const { tools } = await row.mc.client.listTools();
  const tool = tools.find((t) => t.name === row.tool('structured'));
  expect(tool?.outputSchema).toBeDefined();
  const result = await row.mc.client.callTool({ name: row.tool('structured'), arguments: { a: 6, b: 7 } });
  expect(result.isError).toBeFalsy();
  expect(result.structuredContent).toEqual(structuredFor(6, 7));
  expect(JSON.parse(textOf(result))).toEqual(structuredFor(6, 7));
}

/**
 * Subscribes to the upstream's watched resource (2025: resources/subscribe; 2026-07-28:
 * subscriptions/listen), calls `touch`, and waits for `notifications/resources/updated`.
 */
export async function checkSubscription(row: Row, waitMs = 4_000): Promise<void> {
  const { client, seen } = row.mc;
  const uri = row.up.watched;
  const before = seen.updates.filter((u) => u === uri).length;
  const modern = row.mc.era === '2026-07-28';
  let close: () => Promise<void>;
  if (modern) {
    const subscription = await client.listen({ resourceSubscriptions: [uri] });
    expect(subscription.honoredFilter.resourceSubscriptions).toEqual([uri]);
    close = () => subscription.close();
  } else {
    await client.subscribeResource({ uri });
    close = async () => {
      await client.unsubscribeResource({ uri });
    };
  }
  try {
    const touched = await client.callTool({ name: row.tool('touch'), arguments: {} });
    // A 2025-era fixture announces only what it was subscribed to: "(no subscriber)" here means
    // the subscription never reached the upstream.
    expect(textOf(touched), 'the upstream was not subscribed to the URI').toMatch(/^touched \d+$/);
    await eventually(() => seen.updates.filter((u) => u === uri).length > before, waitMs);
  } finally {
    await close().catch(() => undefined);
  }
}

/**
 * Starts `slow`, aborts it after two progress notifications, and waits for the upstream to say
 * (on stderr) that its handler saw the cancellation.
 */
export async function checkCancellation(row: Row, label: string): Promise<void> {
  const marker = `${label}-${Math.random().toString(36).slice(2, 8)}`;
  const abort = new AbortController();
  let progressed = 0;
  // Two progress notifications show the call is running upstream; without progress (a separate
  // check) it is aborted anyway after a second, so this checks cancellation alone.
  const fallback = setTimeout(() => abort.abort(new Error('matrix: no progress, cancelling anyway')), 1_000);
  const call = row.mc.client.callTool(
    { name: row.tool('slow'), arguments: { marker } },
    {
      signal: abort.signal,
      onprogress: () => {
        if (++progressed === 2) abort.abort(new Error('matrix: enough'));
      },
    },
  );
  try {
    await expect(call).rejects.toThrow();
  } finally {
    clearTimeout(fallback);
  }
  await eventually(() => row.upstreamSawCancel(marker), 5_000);
}

export { textOf };
