import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaged, support, type CagedServer, type Outcome } from './caged-server.js';

// Needs a working bubblewrap (.ci/run installs it): without one these tests fail, naming why.
describe('who a sandboxed server is', () => {
  it('runs where bubblewrap works (.ci/run installs it)', () => {
    expect(support.bwrap.usable, support.bwrap.error ?? 'bwrap is not usable').toBe(true);
  });

  let caged: CagedServer;
  let me: Outcome;

  beforeAll(async () => {
    process.env.OUTLET_TEST_HOST_SECRET = 'must not leak';
    process.env.OUTLET_TEST_ALLOWED = 'passed on purpose';
    caged = await startCaged('identity-probe.mjs', { env: ['OUTLET_TEST_ALLOWED', 'OUTLET_TEST_UNSET'] }, {
      env: { PATH: '/usr/bin:/bin', FROM_THE_ENTRY: 'entry value' },
    });
    me = await caged.call('whoami');
  });

  afterAll(async () => {
    delete process.env.OUTLET_TEST_HOST_SECRET;
    delete process.env.OUTLET_TEST_ALLOWED;
    await caged?.close();
  });

  it('runs as the unprivileged uid when the gateway is root, else keeps the gateway uid and says so', () => {
    if (support.root) {
      expect(me).toMatchObject({ uid: 65534, gid: 65534 });
      expect(me.groups).toEqual([65534]);
      expect(caged.sandbox.enforced.join('\n')).toMatch(/identity: uid 65534/);
    } else {
      expect(me.uid).toBe(process.getuid?.());
      expect(caged.sandbox.notEnforced.join('\n')).toMatch(/identity: the gateway is not root/);
    }
  });

  it('sees only its own processes (own pid namespace)', () => {
    // bwrap's init, the server, and at most a helper; the host has hundreds.
    expect(me.pid as number).toBeLessThan(10);
    expect(me.visibleProcesses as number).toBeLessThan(5);
  });

  it('has no capabilities and cannot gain privileges', () => {
    expect(me.capEff).toBe('0000000000000000');
    expect(me.noNewPrivs).toBe('1');
  });

  it('gets a cleared environment: the entry env and allowlisted names only, HOME in scratch', () => {
    const env = me.env as Record<string, string>;
    expect(env.OUTLET_TEST_HOST_SECRET).toBeUndefined();
    expect(env.NODE_EXTRA_CA_CERTS).toBeUndefined();
    expect(env.OUTLET_TEST_ALLOWED).toBe('passed on purpose');
    expect(env.FROM_THE_ENTRY).toBe('entry value');
    expect(env.HOME).toBe(caged.sandbox.spec.cwd);
    expect(me.home).toBe(caged.sandbox.spec.cwd);
    // bwrap adds PWD itself when it changes directory; nothing else is there.
    expect(Object.keys(env).sort()).toEqual(['FROM_THE_ENTRY', 'HOME', 'OUTLET_TEST_ALLOWED', 'PATH', 'PWD']);
  });
});
