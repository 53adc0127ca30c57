import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/outlet.js';
import { startCaged, support } from './caged-server.js';

// Needs a working bubblewrap (.ci/run installs it): without one these tests fail, naming why.
describe('a sandboxed server and the network', () => {
  it('runs where bubblewrap works (.ci/run installs it)', () => {
    expect(support.bwrap.usable, support.bwrap.error ?? 'bwrap is not usable').toBe(true);
  });

  let server: Server;
  let port = 0;
  let accepted = 0;

  beforeAll(async () => {
    server = createServer((socket) => {
      accepted++;
      socket.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('with network "none" cannot reach a port listening on the host loopback', async () => {
    const caged = await startCaged('net-probe.mjs', { network: 'none' });
    try {
      const before = accepted;
      const outcome = await caged.call('connect', { host: '127.0.0.1', port });
      // Its own network namespace has a loopback of its own, where nothing listens.
      expect(outcome).toMatchObject({ ok: false, code: 'ECONNREFUSED' });
      expect(accepted).toBe(before);
      expect(caged.sandbox.enforced.join('\n')).toMatch(/network \(loopback only\)/);
    } finally {
      await caged.close();
    }
  });

  it('with network "host" reaches the same port', async () => {
    const caged = await startCaged('net-probe.mjs', { network: 'host' });
    try {
      const before = accepted;
      const outcome = await caged.call('connect', { host: '127.0.0.1', port });
      expect(outcome).toMatchObject({ ok: true, connected: true });
      // The probe's answer (over its stdout) can be read before this process has run the accept:
      // wait for the accept itself, then check it was the one connection.
      await eventually(() => accepted > before);
      expect(accepted).toBe(before + 1);
    } finally {
      await caged.close();
    }
  });
});
