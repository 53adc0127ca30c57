import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll } from 'vitest';
import type { Gateway } from '../../src/gateway/gateway.js';
import { testGateway, type ClientOptions, type TestGateway, type TestGatewayOptions } from './gateway.js';

export interface SuiteGatewayOptions extends TestGatewayOptions {
  /** A client to connect once the gateway is up (`suite.client`); none when absent. */
  client?: ClientOptions;
  /** The start hook's timeout, for gateways whose upstreams take long to come up. */
  timeoutMs?: number;
}

/** A test gateway shared by a file's (or a describe block's) tests, read once the start hook ran. */
export interface SuiteGateway {
  readonly gw: TestGateway;
  readonly gateway: Gateway;
  readonly url: string;
  /** The client `options.client` asked for. */
  readonly client: Client;
}

/**
 * Starts a test gateway before the tests of the enclosing block and closes it (clients first)
 * after them: the start/wait/connect/close hooks a file would otherwise write out. `raw` may be a
 * function when the config depends on something made in an earlier hook (a port, a directory).
 */
export function suiteGateway(raw: Record<string, unknown> | (() => Record<string, unknown>), options: SuiteGatewayOptions = {}): SuiteGateway {
  let gw: TestGateway | undefined;
  let client: Client | undefined;
  beforeAll(async () => {
    gw = await testGateway(typeof raw === 'function' ? raw() : raw, options);
    if (options.client) client = await gw.client(options.client);
  }, options.timeoutMs);
  afterAll(async () => {
    await gw?.close();
  }, options.timeoutMs);
  const started = (): TestGateway => {
    if (!gw) throw new Error('the suite gateway is read before its start hook ran (or it failed to start)');
    return gw;
  };
  return {
    get gw() {
      return started();
    },
    get gateway() {
      return started().gateway;
    },
    get url() {
      return started().url;
    },
    get client() {
      if (!client) throw new Error('the suite gateway has no client: pass options.client');
      return client;
    },
  };
}
