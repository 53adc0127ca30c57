import { isIP } from 'node:net';
import { hostOfUrl } from '../../config/egress-address.js';
import { matchEgressRule, type EgressRule } from '../../config/egress-rules.js';
import { decideDestination, type EgressLookup } from '../../sandbox/egress-decision.js';

/** Where one hop goes: the URL, its canonical host and port, and the address checked when this process resolved it. */
export interface Destination {
  url: URL;
  host: string;
  port: number;
  /** `host:port` as a CONNECT line and a Host header write it (IPv6 in brackets). */
  authority: string;
  /** The checked address to connect to; absent when the egress proxy resolves the name (and checks it again). */
  address?: string;
}

export interface GuardOptions {
  rules: readonly EgressRule[];
  lookup: EgressLookup;
  /** True when requests go out through a proxy, which resolves names itself. */
  viaProxy: boolean;
  /** Test seam only (OUTLET_BUILTIN_UNSAFE_TEST_HTTP=1): skip the allowlist and address checks to show the cage holds alone. */
  skipChecks: boolean;
}

/**
 * Checks one URL (the caller's, or a redirect's Location) before anything is sent: http or https,
 * no credentials in it, its host and port in allowHosts, and the name resolved once with the
 * egress proxy's own rules (sandbox/egress-decision.ts): a name admitted by a wildcard must reach a
 * public address, an exactly listed name or address may be private. The connection then goes to
 * the address checked here, never to a second DNS answer.
 *
 * Inside the sandbox there is no DNS (no resolv.conf): resolution fails here and the egress proxy,
 * which resolves on the gateway side with the same rules, makes that check and connects to the
 * address it checked.
 */
export async function checkDestination(raw: string, argument: string, options: GuardOptions): Promise<Destination> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${argument}: "${raw}" is not an absolute URL (write it as https://host/path)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${argument}: only http:// and https:// URLs are allowed, got "${url.protocol}"`);
  if (url.username !== '' || url.password !== '') throw new Error(`${argument}: credentials in the URL (user:password@) are refused; send an Authorization header instead`);
  const host = hostOfUrl(url);
  if (host === undefined) throw new Error(`${argument}: "${raw}" has no host`);
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  const authority = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  const destination: Destination = { url, host, port, authority };
  if (options.skipChecks) return destination;
  if (!matchEgressRule(options.rules, host, port)) {
    const listed = options.rules.map((r) => r.entry).join(', ');
    throw new Error(`${argument}: "${authority}" is not in allowHosts (${listed}); a bare host allows ports 80 and 443 only, and an address is matched only by an address entry`);
  }
  const decision = await decideDestination(options.rules, host, port, options.lookup);
  if (decision.allowed) return { ...destination, address: decision.address };
  if (decision.refused) throw new Error(`${argument}: refused: ${decision.reason.replace('sandbox.network.allow', 'allowHosts')}`);
  // A name that does not resolve here: the proxy resolves it (and refuses what the rules refuse).
  if (options.viaProxy) return destination;
  throw new Error(`${argument}: ${decision.reason}`);
}
