import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { specialAddressKind } from '../config/egress-address.js';
import { addressListed, matchEgressRule, type EgressRule } from '../config/egress-rules.js';

/** Resolves a name to every address it has (tests inject one to play a hostile DNS). */
export type EgressLookup = (host: string) => Promise<ReadonlyArray<{ address: string; family: number }>>;

export const systemLookup: EgressLookup = (host) => dnsLookup(host, { all: true, verbatim: true });

/** Where to connect, or why not: 403 for a refusal by the allowlist, 502 when DNS fails. */
export type EgressDecision = { allowed: true; address: string } | { allowed: false; status: 403 | 502; reason: string; refused: boolean };

/**
 * Decides one destination. Names resolve here, on the gateway side, once: the proxy connects to the
 * address that was checked, so a second DNS answer cannot swap in another (rebinding). A name that
 * a wildcard admits must resolve to a public address unless that address is listed itself; a name
 * listed exactly, or an address listed exactly, is the operator's explicit word and may be private.
 *
 * @example
 * await decideDestination(parseEgressRules(['*.example.com']), 'evil.example.com', 443, systemLookup);
 * // { allowed: false, status: 403, reason: '"evil.example.com" resolves to 127.0.0.1, a loopback address, ...' }
 */
export async function decideDestination(rules: readonly EgressRule[], host: string, port: number, lookup: EgressLookup): Promise<EgressDecision> {
  const rule = matchEgressRule(rules, host, port);
  const where = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  if (!rule) return refuse(`"${where}" is not on this server's network allowlist (sandbox.network.allow)`);
  if (rule.kind === 'address') return { allowed: true, address: rule.address };
  let addresses: ReadonlyArray<{ address: string }>;
  try {
    addresses = await lookup(host);
  } catch (err) {
    return { allowed: false, status: 502, refused: false, reason: `cannot resolve "${host}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
  if (addresses.length === 0) return { allowed: false, status: 502, refused: false, reason: `"${host}" has no address` };
  if (rule.kind === 'name') return { allowed: true, address: addresses[0]!.address };
  const usable = addresses.find((a) => specialAddressKind(a.address) === undefined || addressListed(rules, a.address, port));
  if (usable) return { allowed: true, address: usable.address };
  const first = addresses[0]!.address;
  return refuse(
    `"${where}" resolves to ${first}, a ${specialAddressKind(first)} address; a name matched by "${rule.entry}" may only reach public addresses unless that address or the name itself is listed (sandbox.network.allow)`,
  );
}

function refuse(reason: string): EgressDecision {
  return { allowed: false, status: 403, refused: true, reason };
}
