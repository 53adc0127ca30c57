import { isIP } from 'node:net';
import { canonicalHost } from './egress-address.js';

/**
 * Ports a bare host (no `:port`) may be reached on. Plain HTTP and HTTPS only: "api.example.com"
 * almost always means the web API, and opening every port of a host (SSH, databases) should be
 * something the config says, one `host:port` at a time.
 */
export const DEFAULT_EGRESS_PORTS: readonly number[] = [80, 443];

/** One parsed `sandbox.network.allow` entry. */
export type EgressRule =
  /** `api.example.com[:port]`: that name exactly. */
  | { kind: 'name'; host: string; ports: readonly number[]; entry: string }
  /** `*.example.com[:port]`: any name below `suffix` (one label or more), never `suffix` itself. */
  | { kind: 'wildcard'; suffix: string; ports: readonly number[]; entry: string }
  /** `10.0.0.5[:port]`, `[2001:db8::1][:port]`: that address exactly. */
  | { kind: 'address'; address: string; ports: readonly number[]; entry: string };

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;
const SHAPE_HINT = 'write a host name, *.domain or an IP address, optionally with :port (as in "api.example.com:443")';

/**
 * Parses one allow entry, or says what is wrong with it (the config loader reports that at the
 * entry's path).
 *
 * @example
 * parseEgressRule('*.example.com'); // { rule: { kind: 'wildcard', suffix: 'example.com', ports: [80, 443], ... } }
 * parseEgressRule('https://x.com'); // { problem: 'no scheme or path: write a host name, ...' }
 */
export function parseEgressRule(entry: string): { rule: EgressRule } | { problem: string } {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || entry.includes('/')) return { problem: `no scheme or path: ${SHAPE_HINT}` };
  if (/[\s@?#\\]/.test(entry) || entry === '') return { problem: SHAPE_HINT };
  const split = splitHostPort(entry);
  if ('problem' in split) return split;
  let ports = DEFAULT_EGRESS_PORTS;
  if (split.port !== undefined) {
    const port = /^\d{1,5}$/.test(split.port) ? Number(split.port) : 0;
    if (port < 1 || port > 65535) return { problem: `the port must be a number from 1 to 65535, got "${split.port}"` };
    ports = [port];
  }
  const { host } = split;
  if (host === '*' || host.startsWith('*.')) {
    if (host === '*') return { problem: 'a lone "*" would allow every host; use network "host" for that' };
    const suffix = hostName(host.slice(2));
    if (suffix === undefined) return { problem: `"${host.slice(2)}" is not a valid host name` };
    if (isIP(suffix) !== 0) return { problem: 'a wildcard goes before a domain name, not an address' };
    return { rule: { kind: 'wildcard', suffix, ports, entry } };
  }
  if (host.includes('*')) return { problem: 'a wildcard is only allowed as the whole first label, as in "*.example.com"' };
  const name = hostName(host);
  if (name === undefined) return { problem: `"${host}" is not a valid host name or IP address` };
  // `127.1` and friends are addresses once canonical, as they are when a request names them.
  if (isIP(name) !== 0) return { rule: { kind: 'address', address: name, ports, entry } };
  return { rule: { kind: 'name', host: name, ports, entry } };
}

/**
 * Parses every entry, throwing on the first bad one (the schema has already reported bad entries
 * with their paths; this guards callers that build a profile by hand).
 *
 * @example
 * parseEgressRules(['api.github.com', '127.0.0.1:8080']);
 */
export function parseEgressRules(entries: readonly string[]): EgressRule[] {
  return entries.map((entry, i) => {
    const parsed = parseEgressRule(entry);
    if ('problem' in parsed) throw new Error(`sandbox.network.allow[${i}] "${entry}": ${parsed.problem}`);
    return parsed.rule;
  });
}

/**
 * The rule that lets `host:port` through by what the request names, preferring an exact name or
 * address over a wildcard (an exact entry is what vouches for a private address, see
 * decideDestination). `host` must be canonical (see canonicalHost).
 *
 * @example
 * matchEgressRule(rules, 'uploads.example.com', 443); // the '*.example.com' rule, or undefined
 */
export function matchEgressRule(rules: readonly EgressRule[], host: string, port: number): EgressRule | undefined {
  const candidates = rules.filter((rule) => rule.ports.includes(port));
  if (isIP(host) !== 0) return candidates.find((rule) => rule.kind === 'address' && rule.address === host);
  return (
    candidates.find((rule) => rule.kind === 'name' && rule.host === host) ??
    candidates.find((rule) => rule.kind === 'wildcard' && host.endsWith(`.${rule.suffix}`))
  );
}

/** True when `address:port` is itself an entry (the exception to the private-address refusal). */
export function addressListed(rules: readonly EgressRule[], address: string, port: number): boolean {
  return rules.some((rule) => rule.kind === 'address' && rule.address === address && rule.ports.includes(port));
}

function splitHostPort(entry: string): { host: string; port?: string } | { problem: string } {
  if (entry.startsWith('[')) {
    const match = /^\[([^\]]+)\](?::(.*))?$/.exec(entry);
    if (!match?.[1] || isIP(match[1]) !== 6) return { problem: 'brackets hold an IPv6 address, as in "[2001:db8::1]:443"' };
    return { host: match[1], ...(match[2] !== undefined ? { port: match[2] } : {}) };
  }
  const colon = entry.indexOf(':');
  if (colon === -1) return { host: entry };
  // A bare IPv6 address is refused even when valid: "::1:80" is an address, not ::1 port 80.
  if (entry.indexOf(':', colon + 1) !== -1) return { problem: 'an IPv6 address goes in brackets, as in "[::1]" or "[2001:db8::1]:443"' };
  return { host: entry.slice(0, colon), port: entry.slice(colon + 1) };
}

/** A host name or address in canonical form, with each DNS label checked (URL parsing alone lets "-x..y" through). */
function hostName(raw: string): string | undefined {
  const host = canonicalHost(raw);
  if (host === undefined || isIP(host) !== 0) return host;
  if (host.length > 253 || !host.split('.').every((label) => LABEL.test(label))) return undefined;
  return host;
}
