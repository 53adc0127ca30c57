import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { checkPackageRequest } from '../../src/config/builtins/python-packages.js';
import { suiteGateway } from '../helpers/suite-gateway.js';

type CallResult = { content: { type: string; text: string }[]; isError?: boolean; structuredContent?: Record<string, unknown> };

// A wheelhouse with one real wheel, built here offline from a two-line package.
const wheelhouse = mkdtempSync(join(tmpdir(), 'outlet-wheels-'));
const source = mkdtempSync(join(tmpdir(), 'outlet-wheel-src-'));
mkdirSync(join(source, 'outletdemo'));
writeFileSync(join(source, 'outletdemo', '__init__.py'), 'def greet(name):\n    return "hello " + name\n');
writeFileSync(join(source, 'setup.py'), 'from setuptools import setup\nsetup(name="outletdemo", version="1.0.0", packages=["outletdemo"])\n');
execFileSync('/usr/bin/python3', ['-m', 'pip', 'wheel', '--no-deps', '--no-build-isolation', '--no-index', '-w', wheelhouse, source], { stdio: 'ignore' });
if (process.getuid?.() === 0) chownSync(wheelhouse, 65534, 65534);

const suite = suiteGateway(
  {
    servers: {
      py: { builtin: 'python', packages: ['outletdemo==1.0.0'], wheelhouse, runTimeoutMs: 3000, maxOutputBytes: 4096 },
      bare: { builtin: 'python' },
    },
  },
  { ready: true },
);

async function run(server: string, code: string, packages?: string[]): Promise<CallResult> {
  const client = await suite.gw.client();
  return (await client.callTool({ name: `${server}__execute_python`, arguments: { code, ...(packages ? { packages } : {}) } })) as CallResult;
}

describe('the python built-in', () => {
  it('runs Python and returns its output and exit code', async () => {
    const result = await run('py', 'import sys\nprint(sum(range(10)))\nsys.exit(3)');
    expect(result.structuredContent).toMatchObject({ exitCode: 3, stdout: '45\n', timedOut: false });
  });

  it('installs an approved pin from the wheelhouse and imports it', async () => {
    const result = await run('py', 'import outletdemo\nprint(outletdemo.greet("outlet"))', ['outletdemo==1.0.0']);
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ exitCode: 0, stdout: 'hello outlet\n' });
  });

  it('refuses packages that are not approved, pinned differently, typosquatted or known malicious, before installing anything', async () => {
    for (const [request, reason] of [
      ['requests==2.31.0', /not approved/],
      ['outletdemo==2.0.0', /approved at 1.0.0 only/],
      ['outletdemo>=1.0', /one exact pin/],
      ['reqeusts==2.31.0', /popular package "requests" \(a likely typosquat\)/],
      ['colourama==0.1.0', /known malicious/],
    ] as const) {
      const result = await run('py', 'print(1)', [request]);
      expect(result.isError, request).toBe(true);
      expect(result.content[0]!.text, request).toMatch(reason);
    }
  });

  it('says clearly when no package source is configured', async () => {
    const result = await run('bare', 'print(1)', ['outletdemo==1.0.0']);
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(/not approved|no package source/);
  });

  it('kills a program past its time limit and bounds a flood of output', async () => {
    const slow = await run('py', 'import time\ntime.sleep(30)');
    expect(slow.structuredContent).toMatchObject({ timedOut: true });
    const flood = await run('py', 'print("x" * 100000)');
    expect((flood.structuredContent as { stdout: string; droppedBytes: number }).stdout.length).toBe(4096);
    expect((flood.structuredContent as { droppedBytes: number }).droppedBytes).toBeGreaterThan(90_000);
  });

  it('has no network and sees nothing of the host beyond its cage', async () => {
    const result = await run(
      'py',
      `import socket, os
try:
    socket.create_connection(("1.1.1.1", 53), timeout=2); print("net: open")
except OSError as e: print("net: refused")
print("root:", os.path.exists("/root"), "home-of-host:", os.path.exists(${JSON.stringify(source)}))`,
    );
    expect((result.structuredContent as { stdout: string }).stdout).toBe('net: refused\nroot: False home-of-host: False\n');
  });
});

describe('approved packages in the config', () => {
  it('are checked when the config is parsed, each named with its path', () => {
    expect(() => parseConfig({ servers: { py: { builtin: 'python', packages: ['numpy==1.26.4', 'nunpy==1.0.0'] } } })).toThrow(/servers\.py\.packages\[1\]: "nunpy==1.0.0": "nunpy" is within two edits of the popular package "numpy"/);
    expect(() => parseConfig({ servers: { py: { builtin: 'python', packages: ['pandas'] } } })).toThrow(/servers\.py\.packages\[0\]: "pandas": write one exact pin/);
  });

  it('follow PEP 508 names and PEP 440 releases', () => {
    expect(checkPackageRequest('Python_Dateutil==2.9.0')).toEqual({ pin: { name: 'python-dateutil', version: '2.9.0' } });
    expect(checkPackageRequest('-rf==1.0')).toMatchObject({ problem: expect.stringMatching(/not a valid package name/) });
    expect(checkPackageRequest('numpy==latest')).toMatchObject({ problem: expect.stringMatching(/not a plain release/) });
    expect(checkPackageRequest('numpy @ https://evil.example/numpy.whl')).toMatchObject({ problem: expect.stringMatching(/one exact pin/) });
  });
});
