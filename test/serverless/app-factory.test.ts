import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/observability/logger.js';
import { createServerlessOutlet } from '../../src/serverless/app-factory.js';
import { fixtureConfig } from '../vectors/fixture.js';
import { modernRequest } from './modern.js';

// The outlet a function builds from a config: the real gateway and app, with the real upstream.

const listTools = (host: string) => {
  const { headers, body } = modernRequest('tools/list');
  return new Request('https://placeholder/mcp', { method: 'POST', headers: { ...headers, host }, body });
};

describe('createServerlessOutlet', () => {
  it("serves /mcp under the platform's own host name (listen.host is moved off loopback, whose guard wants localhost)", async () => {
    const outlet = await createServerlessOutlet(parseConfig(fixtureConfig()), { logger: silentLogger() });
    try {
      // The config leaves listen.host at 127.0.0.1, whose guard accepts only localhost Host headers.
      expect(outlet.gateway.config.listen.host).toBe('0.0.0.0');
      const res = await outlet.app.fetch(listTools('x7f3kq2vbnq4mcdxyzuvw3l5oa0tbjqn.lambda-url.us-east-1.on.aws'));
      expect(res.status).toBe(200);
      expect(JSON.stringify(await res.json())).toContain('tiny__echo');
    } finally {
      await outlet.close();
    }
  });

  it('still applies http.allowedHosts when the config sets it', async () => {
    const config = parseConfig({ ...fixtureConfig(), http: { allowedHosts: ['mcp.example.com'] } });
    const outlet = await createServerlessOutlet(config, { logger: silentLogger() });
    try {
      expect((await outlet.app.fetch(listTools('mcp.example.com'))).status).toBe(200);
      expect((await outlet.app.fetch(listTools('a1b2c3d4e5.execute-api.us-east-1.amazonaws.com'))).status).toBe(403);
    } finally {
      await outlet.close();
    }
  });

  it('has no config file to reload: POST /api/reload says so', async () => {
    const outlet = await createServerlessOutlet(parseConfig({ servers: {} }), { logger: silentLogger() });
    try {
      const res = await outlet.app.fetch(new Request('https://fn.example/api/reload', { method: 'POST' }));
      expect(res.status).toBe(409);
    } finally {
      await outlet.close();
    }
  });
});
