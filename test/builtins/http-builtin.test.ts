import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { UNSAFE_TEST_ENV } from '../../src/builtins/http/http-server.js';
import { suiteGateway } from '../helpers/suite-gateway.js';
import { startFixture, type Fixture } from './http-fixture.js';

type CallResult = { content: { type: string; text: string }[]; isError?: boolean; structuredContent?: Record<string, unknown> };

// The http built-in through the real gateway: `outlet builtin http` in its sandbox, whose only way
// out is the gateway's egress proxy, against local servers started here.
let site: Fixture;
let other: Fixture;
beforeAll(async () => {
  other = await startFixture();
  site = await startFixture();
  Object.assign(site.redirects, {
    '/to-hello': '/hello',
    '/to-localhost': `http://localhost:${site.port}/hello`,
    '/to-other': `http://127.0.0.1:${other.port}/hello`,
    '/to-metadata': 'http://169.254.169.254/latest/meta-data/',
    '/loop': '/loop',
  });
});
afterAll(async () => {
  await site.close();
  await other.close();
});

const suite = suiteGateway(
  () => ({ servers: { web: { builtin: 'http', allowHosts: [`127.0.0.1:${site.port}`, '*.example.com'], maxResponseBytes: 4096, requestTimeoutMs: 5000 } } }),
  { ready: true, timeoutMs: 30_000 },
);

const call = async (args: Record<string, unknown>): Promise<CallResult> => (await (await suite.gw.client()).callTool({ name: 'web__http_request', arguments: args })) as CallResult;
const base = (): string => `http://127.0.0.1:${site.port}`;

describe('the http built-in', () => {
  it('lists http_request as open-world and not read-only', async () => {
    const { tools } = await (await suite.gw.client()).listTools();
    const tool = tools.find((t) => t.name === 'web__http_request')!;
    expect(tool.annotations).toMatchObject({ openWorldHint: true, readOnlyHint: false });
  });

  it('GETs from a listed host: status, headers, text body', async () => {
    const result = await call({ url: `${base()}/hello` });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ status: 200, body: 'hello, world', bodyEncoding: 'text', truncated: false, headers: { 'x-fixture': 'yes' } });
  });

  it('POSTs a body with the caller\'s headers', async () => {
    const result = await call({ method: 'POST', url: `${base()}/echo?q=1`, headers: { 'Content-Type': 'application/json', 'X-Api-Key': 'k1' }, body: '{"a":1}' });
    expect(result.structuredContent).toMatchObject({ status: 201 });
    const echoed = JSON.parse(String(result.structuredContent!.body)) as { method: string; url: string; headers: Record<string, string>; body: string };
    expect(echoed).toMatchObject({ method: 'POST', url: '/echo?q=1', body: '{"a":1}', headers: { 'x-api-key': 'k1', 'content-type': 'application/json', host: `127.0.0.1:${site.port}` } });
  });

  it('returns binary as base64 and cuts a body over maxResponseBytes', async () => {
    const binary = await call({ url: `${base()}/binary` });
    expect(binary.structuredContent).toMatchObject({ bodyEncoding: 'base64', body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]).toString('base64') });
    const big = await call({ url: `${base()}/big` });
    expect(big.structuredContent).toMatchObject({ truncated: true, bytes: 4096 });
    expect(String(big.structuredContent!.body)).toHaveLength(4096);
  });

  it('ends a call that gets no answer within the time limit', async () => {
    const result = await call({ url: `${base()}/slow`, timeout_ms: 500 });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(/no complete answer within 500 ms/);
  });

  it('follows a redirect on the listed host', async () => {
    const result = await call({ url: `${base()}/to-hello` });
    expect(result.structuredContent).toMatchObject({ status: 200, body: 'hello, world', redirects: [`${base()}/hello`] });
  });

  it.each([
    ['a host off the list', 'http://example.org/', /"example\.org:80" is not in allowHosts/],
    ['localhost, not listed', 'http://localhost:PORT/hello', /"localhost:\d+" is not in allowHosts/],
    ['127.0.0.1 on an unlisted port', 'http://127.0.0.1:1/', /"127\.0\.0\.1:1" is not in allowHosts/],
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/', /"169\.254\.169\.254:80" is not in allowHosts/],
    ['a private address', 'http://10.0.0.1/', /"10\.0\.0\.1:80" is not in allowHosts/],
    ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]:PORT/', /is not in allowHosts/],
    ['file://', 'file:///etc/passwd', /only http:\/\/ and https:\/\/ URLs are allowed/],
    ['credentials in the URL', 'http://user:pw@127.0.0.1:PORT/hello', /credentials in the URL/],
  ])('refuses %s', async (_what, url, message) => {
    const before = site.hits.length;
    const result = await call({ url: url.replace('PORT', String(site.port)) });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(message);
    expect(site.hits.length).toBe(before);
  });

  it.each([
    ['to localhost', '/to-localhost', /redirect 1 .*"localhost:\d+" is not in allowHosts/],
    ['to an unlisted port', '/to-other', /redirect 1 .*is not in allowHosts/],
    ['to cloud metadata', '/to-metadata', /redirect 1 .*"169\.254\.169\.254:80" is not in allowHosts/],
    ['in a loop', '/loop', /more than 5 redirects/],
  ])('refuses a redirect %s', async (_what, path, message) => {
    const before = other.hits.length;
    const result = await call({ url: `${base()}${path}` });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(message);
    expect(other.hits.length).toBe(before);
  });

  it('refuses Host, hop-by-hop and framing headers, and methods off the list', async () => {
    for (const name of ['Host', 'Connection', 'Transfer-Encoding', 'Proxy-Authorization', 'Content-Length']) {
      const result = await call({ url: `${base()}/echo`, headers: { [name]: 'x' } });
      expect(result.isError, name).toBe(true);
      expect(result.content[0]!.text).toMatch(new RegExp(`headers: "${name}" may not be set`));
    }
    // The input schema lists only the configured methods: the call is refused before it reaches the tool.
    await expect(call({ url: `${base()}/echo`, method: 'TRACE' })).rejects.toThrow(/method/);
  });
});

describe('the http built-in\'s cage', () => {
  // The tool's own checks switched off through its test seam: the sandbox's egress proxy, built
  // from the same allowHosts, still refuses what is not listed.
  const previous = process.env[UNSAFE_TEST_ENV];
  beforeAll(() => {
    process.env[UNSAFE_TEST_ENV] = '1';
  });
  afterAll(() => {
    if (previous === undefined) delete process.env[UNSAFE_TEST_ENV];
    else process.env[UNSAFE_TEST_ENV] = previous;
  });
  const caged = suiteGateway(
    () => ({ servers: { open: { builtin: 'http', allowHosts: [`127.0.0.1:${site.port}`], sandbox: { env: [UNSAFE_TEST_ENV] } } } }),
    { ready: true, timeoutMs: 30_000 },
  );
  const open = async (url: string): Promise<CallResult> => (await (await caged.gw.client()).callTool({ name: 'open__http_request', arguments: { url } })) as CallResult;

  it('still reaches the listed host', async () => {
    expect((await open(`http://127.0.0.1:${site.port}/hello`)).structuredContent).toMatchObject({ status: 200 });
  });

  it.each([
    ['an unlisted port on loopback', () => `http://127.0.0.1:${other.port}/hello`],
    ['localhost', () => `http://localhost:${other.port}/hello`],
    ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/'],
  ])('is refused by the egress proxy: %s', async (_what, url) => {
    const before = other.hits.length;
    const result = await open(url());
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(/the proxy refused .*\(403\): mcp-outlet egress proxy: .* is not on this server's network allowlist/);
    expect(other.hits.length).toBe(before);
  });
});

describe('an http entry in the config', () => {
  it('derives a network allowlist from allowHosts and checks its entries', () => {
    const server = parseConfig({ servers: { w: { builtin: 'http', allowHosts: ['api.github.com', '127.0.0.1:8080'] } } }).servers.w!;
    if (server.transport !== 'stdio') throw new Error('expected stdio');
    expect(server.sandbox.network).toEqual({ allow: ['api.github.com', '127.0.0.1:8080'] });
    expect(() => parseConfig({ servers: { w: { builtin: 'http', allowHosts: ['https://x.com'] } } })).toThrow(/servers\.w\.allowHosts\[0\]: no scheme or path/);
    expect(() => parseConfig({ servers: { w: { builtin: 'http', allowHosts: [] } } })).toThrow(/allowHosts/);
  });
});
