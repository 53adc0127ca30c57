import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { suiteGateway } from '../helpers/suite-gateway.js';

type CallResult = { content: { type: string; text: string }[]; isError?: boolean; structuredContent?: Record<string, unknown> };

// The notify built-in through the real gateway, posting to a local receiver.
const received: Array<{ path: string; type: string | undefined; body: unknown }> = [];
let receiver: Server;
let port = 0;
beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', type: req.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') });
      if (req.url === '/fail') res.writeHead(404).end('no_service');
      else if (req.url === '/slow') return;
      else res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  port = (receiver.address() as AddressInfo).port;
});
afterAll(() => {
  receiver.closeAllConnections();
  receiver.close();
});

const suite = suiteGateway(
  () => ({ servers: { n: { builtin: 'notify', requestTimeoutMs: 1000, webhooks: { team: `http://127.0.0.1:${port}/services/T/B/secret`, gone: `http://127.0.0.1:${port}/fail`, slow: `http://127.0.0.1:${port}/slow` } } } }),
  { ready: true, timeoutMs: 30_000 },
);
const send = async (args: Record<string, unknown>): Promise<CallResult> => (await (await suite.gw.client()).callTool({ name: 'n__send_notification', arguments: args })) as CallResult;

describe('the notify built-in', () => {
  it('posts { text, blocks } to the named webhook', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }];
    const result = await send({ target: 'team', text: 'deploy done', title: 'CI', blocks });
    expect(result.structuredContent).toEqual({ target: 'team', status: 200 });
    expect(received.at(-1)).toEqual({ path: '/services/T/B/secret', type: 'application/json', body: { text: '*CI*\ndeploy done', blocks } });
  });

  it('says which target failed and what the webhook answered, without its URL', async () => {
    const result = await send({ target: 'gone', text: 'x' });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toBe('target "gone": the webhook answered 404 Not Found: no_service');
  });

  it('gives up on a webhook that does not answer in time', async () => {
    const result = await send({ target: 'slow', text: 'x' });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(/target "slow": no answer within 1000 ms/);
  });

  it('takes a configured name only, never a URL', async () => {
    await expect(send({ target: `http://127.0.0.1:${port}/other`, text: 'x' })).rejects.toThrow(/target/);
    const { tools } = await (await suite.gw.client()).listTools();
    const tool = tools.find((t) => t.name === 'n__send_notification')!;
    expect(JSON.stringify(tool)).not.toContain('secret');
    expect(tool.annotations).toMatchObject({ openWorldHint: true, readOnlyHint: false });
  });
});

describe('a notify entry in the config', () => {
  it('allows the network to the webhooks\' hosts and ports only', () => {
    const server = parseConfig({ servers: { n: { builtin: 'notify', webhooks: { a: 'https://hooks.slack.com/services/x', b: 'https://hooks.slack.com/services/y', c: 'http://10.0.0.5:8080/h' } } } }).servers.n!;
    if (server.transport !== 'stdio') throw new Error('expected stdio');
    expect(server.sandbox.network).toEqual({ allow: ['hooks.slack.com:443', '10.0.0.5:8080'] });
    expect(() => parseConfig({ servers: { n: { builtin: 'notify', webhooks: { a: 'ftp://x' } } } })).toThrow(/webhooks\.a: only http/);
    expect(() => parseConfig({ servers: { n: { builtin: 'notify', webhooks: {} } } })).toThrow(/at least one webhook/);
  });
});
