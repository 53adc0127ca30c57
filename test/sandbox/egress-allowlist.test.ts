import { describe, expect, it } from 'vitest';
import { canonicalHost, specialAddressKind } from '../../src/config/egress-address.js';
import { matchEgressRule, parseEgressRule, parseEgressRules } from '../../src/config/egress-rules.js';
import { decideDestination, type EgressLookup } from '../../src/sandbox/egress-decision.js';

const problem = (entry: string): string | undefined => {
  const parsed = parseEgressRule(entry);
  return 'problem' in parsed ? parsed.problem : undefined;
};
const entryOf = (rules: ReturnType<typeof parseEgressRules>, host: string, port: number): string | undefined => matchEgressRule(rules, host, port)?.entry;
/** A DNS that answers from a table, as a hostile zone would. */
const dns =
  (table: Record<string, string[]>): EgressLookup =>
  async (host) => {
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

describe('network allow entries', () => {
  it('parse names, wildcards and addresses, a bare one on ports 80 and 443 only', () => {
    expect(parseEgressRule('API.Example.com.')).toEqual({ rule: { kind: 'name', host: 'api.example.com', ports: [80, 443], entry: 'API.Example.com.' } });
    expect(parseEgressRule('*.example.com:8443')).toMatchObject({ rule: { kind: 'wildcard', suffix: 'example.com', ports: [8443] } });
    expect(parseEgressRule('10.0.0.5:5432')).toMatchObject({ rule: { kind: 'address', address: '10.0.0.5', ports: [5432] } });
    expect(parseEgressRule('[2001:DB8::1]:443')).toMatchObject({ rule: { kind: 'address', address: '2001:db8::1', ports: [443] } });
    // An address spelled unusually is the address it means, as it is in a request.
    expect(parseEgressRule('127.1')).toMatchObject({ rule: { kind: 'address', address: '127.0.0.1' } });
    expect(parseEgressRule('bücher.example')).toMatchObject({ rule: { kind: 'name', host: 'xn--bcher-kva.example' } });
  });

  it('say what is wrong with a bad entry', () => {
    expect(problem('https://api.example.com')).toMatch(/^no scheme or path/);
    expect(problem('api.example.com/v1')).toMatch(/^no scheme or path/);
    expect(problem('api.example.com:0')).toBe('the port must be a number from 1 to 65535, got "0"');
    expect(problem('api.example.com:http')).toMatch(/port must be a number/);
    expect(problem('*')).toMatch(/would allow every host; use network "host"/);
    expect(problem('api.*.com')).toMatch(/only allowed as the whole first label/);
    expect(problem('*.10.0.0.1')).toMatch(/not an address/);
    expect(problem('-bad.example.com')).toMatch(/not a valid host name/);
    expect(problem('a..b')).toMatch(/not a valid host name/);
    expect(problem('::1:80')).toMatch(/IPv6 address goes in brackets/);
    expect(problem('[not-v6]:80')).toMatch(/brackets hold an IPv6 address/);
    expect(problem('user@host')).toBeDefined();
  });

  it('match an exact name and port, a wildcard below its domain but not the domain, an address only by address', () => {
    const rules = parseEgressRules(['api.example.com', '*.example.org', 'db.internal:5432', '10.0.0.5:5432', '[::1]:8080']);
    expect(entryOf(rules, 'api.example.com', 443)).toBe('api.example.com');
    expect(entryOf(rules, 'api.example.com', 22)).toBeUndefined();
    expect(entryOf(rules, 'www.example.com', 443)).toBeUndefined();
    expect(entryOf(rules, 'a.b.example.org', 80)).toBe('*.example.org');
    expect(entryOf(rules, 'example.org', 443)).toBeUndefined();
    expect(entryOf(rules, 'badexample.org', 443)).toBeUndefined();
    expect(entryOf(rules, 'db.internal', 5432)).toBe('db.internal:5432');
    expect(entryOf(rules, '10.0.0.5', 5432)).toBe('10.0.0.5:5432');
    expect(entryOf(rules, '::1', 8080)).toBe('[::1]:8080');
    // A request that names an address is judged by address, even when a listed name points there.
    expect(entryOf(parseEgressRules(['localhost:80']), '127.0.0.1', 80)).toBeUndefined();
  });

  it('canonicalises request hosts the way URLs do', () => {
    expect(canonicalHost('0x7f.1')).toBe('127.0.0.1');
    expect(canonicalHost('[::ffff:127.0.0.1]')).toBe('::ffff:7f00:1');
    expect(canonicalHost('LOCALHOST.')).toBe('localhost');
    expect(canonicalHost('a b')).toBeUndefined();
    expect(specialAddressKind('::ffff:7f00:1')).toBe('loopback');
    expect(specialAddressKind('169.254.169.254')).toBe('link-local');
    expect(specialAddressKind('fd00::1')).toBe('private');
    expect(specialAddressKind('8.8.8.8')).toBeUndefined();
  });
});

describe('deciding a destination', () => {
  const table = dns({ 'cdn.example.com': ['93.184.215.14'], 'evil.example.com': ['127.0.0.1'], 'mixed.example.com': ['10.1.2.3', '93.184.215.15'], 'db.internal': ['10.9.9.9'], 'lan.example.com': ['10.0.0.7'] });

  it('connects to a public address a wildcard name resolves to', async () => {
    expect(await decideDestination(parseEgressRules(['*.example.com']), 'cdn.example.com', 443, table)).toEqual({ allowed: true, address: '93.184.215.14' });
    expect(await decideDestination(parseEgressRules(['*.example.com']), 'mixed.example.com', 443, table)).toEqual({ allowed: true, address: '93.184.215.15' });
  });

  it('refuses a wildcard name that resolves to loopback or the LAN (rebinding, SSRF)', async () => {
    const decision = await decideDestination(parseEgressRules(['*.example.com']), 'evil.example.com', 443, table);
    expect(decision).toMatchObject({ allowed: false, status: 403, refused: true });
    expect(!decision.allowed && decision.reason).toBe(
      '"evil.example.com:443" resolves to 127.0.0.1, a loopback address; a name matched by "*.example.com" may only reach public addresses unless that address or the name itself is listed (sandbox.network.allow)',
    );
  });

  it('lets a private address through when the name or the address itself is listed', async () => {
    expect(await decideDestination(parseEgressRules(['db.internal:5432']), 'db.internal', 5432, table)).toEqual({ allowed: true, address: '10.9.9.9' });
    expect(await decideDestination(parseEgressRules(['*.example.com', '10.0.0.7:443']), 'lan.example.com', 443, table)).toEqual({ allowed: true, address: '10.0.0.7' });
    expect(await decideDestination(parseEgressRules(['127.0.0.1:8080']), '127.0.0.1', 8080, table)).toEqual({ allowed: true, address: '127.0.0.1' });
  });

  it('refuses what is not listed without resolving it, and answers 502 (not a refusal) when DNS fails', async () => {
    let asked = 0;
    const counting: EgressLookup = async (host) => (asked++, table(host));
    expect(await decideDestination(parseEgressRules(['api.example.com']), 'other.example.com', 443, counting)).toMatchObject({
      allowed: false,
      status: 403,
      reason: '"other.example.com:443" is not on this server\'s network allowlist (sandbox.network.allow)',
    });
    expect(asked).toBe(0);
    expect(await decideDestination(parseEgressRules(['*.example.com']), 'gone.example.com', 443, table)).toMatchObject({ allowed: false, status: 502, refused: false, reason: 'cannot resolve "gone.example.com": ENOTFOUND' });
  });
});
