import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEgressRules } from '../../src/config/egress-rules.js';
import { checkDestination, type GuardOptions } from '../../src/builtins/http/destination.js';
import { follow } from '../../src/builtins/http/follow.js';
import type { EgressLookup } from '../../src/sandbox/egress-decision.js';
import { startFixture, type Fixture } from './http-fixture.js';

// The tool's own wall without a sandbox: a resolver played by the test (no outside DNS here), so
// names can point anywhere. Requests go straight to the address that was checked.
const answers: Record<string, string> = {
  'evil.example.com': '127.0.0.1',
  'lan.example.com': '10.0.0.1',
  'meta.example.com': '169.254.169.254',
  'mapped.example.com': '::ffff:127.0.0.1',
  'cgnat.example.com': '100.64.1.1',
  'ula.example.com': 'fd00::1',
  'public.example.com': '93.184.215.14',
  'svc.test': '127.0.0.1',
};
let lookups: string[] = [];
const lookup: EgressLookup = async (host) => {
  lookups.push(host);
  const address = answers[host];
  if (!address) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  return [{ address, family: address.includes(':') ? 6 : 4 }];
};

let site: Fixture;
beforeAll(async () => {
  site = await startFixture();
});
afterAll(() => site.close());

const guard = (allow: string[]): GuardOptions => ({ rules: parseEgressRules(allow), lookup, viaProxy: false, skipChecks: false });

describe('the http built-in\'s destination check', () => {
  it.each(['evil', 'lan', 'meta', 'mapped', 'cgnat', 'ula'])('refuses a wildcard name that resolves to a non-public address (%s)', async (name) => {
    await expect(checkDestination(`https://${name}.example.com/`, 'url', guard(['*.example.com']))).rejects.toThrow(/refused: .* a (loopback|private|link-local|shared \(carrier-grade NAT\)) address.*allowHosts/);
  });

  it('admits a wildcard name with a public address, and gives that address to connect to', async () => {
    await expect(checkDestination('https://public.example.com/x', 'url', guard(['*.example.com']))).resolves.toMatchObject({ host: 'public.example.com', port: 443, address: '93.184.215.14' });
  });

  it('resolves once and connects to the checked address (an exactly listed name may be loopback)', async () => {
    lookups = [];
    const result = await follow(
      { method: 'GET', url: `http://svc.test:${site.port}/hello`, headers: {}, followRedirects: true, maxRedirects: 5, maxBytes: 1000, signal: AbortSignal.timeout(5000) },
      guard([`svc.test:${site.port}`]),
      {},
    );
    expect(result).toMatchObject({ status: 200 });
    expect(result.body.toString()).toBe('hello, world');
    expect(lookups).toEqual(['svc.test']);
  });

  it('refuses a name that does not resolve when there is no proxy to resolve it', async () => {
    await expect(checkDestination('http://nowhere.example.com/', 'url', guard(['*.example.com']))).rejects.toThrow(/cannot resolve "nowhere\.example\.com"/);
  });

  it('leaves a name it cannot resolve to the egress proxy when there is one', async () => {
    await expect(checkDestination('http://nowhere.example.com/', 'url', { ...guard(['*.example.com']), viaProxy: true })).resolves.toMatchObject({ host: 'nowhere.example.com', port: 80 });
  });
});
