import { BlockList, isIP } from 'node:net';

/**
 * Address ranges a name must not resolve to unless the operator listed that name or address
 * outright: the gateway's own loopback, the LAN, cloud metadata (169.254.169.254) and the like. A
 * wildcard such as `*.example.com` is a promise about names, not about where they point; without
 * this check anyone who controls DNS under it could aim the proxy at the gateway's neighbours.
 */
const SPECIAL_RANGES: ReadonlyArray<readonly [kind: string, network: string, prefix: number, family: 'ipv4' | 'ipv6']> = [
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['loopback', '::1', 128, 'ipv6'],
  ['unspecified', '0.0.0.0', 8, 'ipv4'],
  ['unspecified', '::', 128, 'ipv6'],
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['private', 'fc00::', 7, 'ipv6'],
  ['shared (carrier-grade NAT)', '100.64.0.0', 10, 'ipv4'],
  ['reserved', '192.0.0.0', 24, 'ipv4'],
  ['reserved', '198.18.0.0', 15, 'ipv4'],
  ['reserved', '240.0.0.0', 4, 'ipv4'],
  ['reserved (IPv4-compatible)', '::', 96, 'ipv6'],
  ['multicast', '224.0.0.0', 4, 'ipv4'],
  ['multicast', 'ff00::', 8, 'ipv6'],
];

// One list per kind, checked in table order so the first (most telling) name wins.
const lists: Array<{ kind: string; list: BlockList }> = [];
for (const [kind, network, prefix, family] of SPECIAL_RANGES) {
  let entry = lists.find((l) => l.kind === kind);
  if (!entry) lists.push((entry = { kind, list: new BlockList() }));
  entry.list.addSubnet(network, prefix, family);
}

/**
 * What kind of non-public address `address` is, or undefined for a public one. IPv4-mapped IPv6
 * (`::ffff:127.0.0.1`) is judged by its IPv4 part (BlockList does that).
 *
 * @example
 * specialAddressKind('127.0.0.1'); // 'loopback'
 * specialAddressKind('93.184.215.14'); // undefined
 */
export function specialAddressKind(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return undefined;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  return lists.find(({ list }) => list.check(address, type))?.kind;
}

/**
 * A host as the allowlist compares it: lower case, punycode, IPv4 in dotted form, IPv6 without
 * brackets, no trailing dot. The WHATWG URL parser does the canonical work, so `127.1`,
 * `0x7f.0.0.1` and `LOCALHOST.` compare as what they mean. Undefined when it is not a host.
 *
 * @example
 * canonicalHost('Api.Example.COM.'); // 'api.example.com'
 * canonicalHost('[::FFFF:127.0.0.1]'); // '::ffff:7f00:1'
 */
export function canonicalHost(host: string): string | undefined {
  if (host === '' || /[\s/@?#\\]/.test(host)) return undefined;
  const bracketed = isIP(host) === 6 ? `[${host}]` : host;
  try {
    return hostOfUrl(new URL(`http://${bracketed}`));
  } catch {
    return undefined;
  }
}

/** The host of a parsed URL in the allowlist's canonical form. */
export function hostOfUrl(url: URL): string | undefined {
  let host = url.hostname;
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host.endsWith('.')) host = host.slice(0, -1);
  return host === '' ? undefined : host;
}
