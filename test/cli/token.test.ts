import { execFile } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { callCommand, listCommand, logsCommand } from '../../src/cli/commands.js';
import { OUTLET_BIN, REPO_ROOT } from '../helpers/servers.js';
import { FIXTURE, startSecureOutlet, type SecureOutlet } from '../security/harness.js';
import { sha256 } from '../security/keys.js';

// `outlet list|call|logs --url U --token T` against a gateway that requires an API key: the
// commands run in-process (their printed lines captured), and once through the real binary to
// show the $OUTLET_TOKEN default.

const KEYS = { user: 'cli-user-key-1234567890', admin: 'cli-admin-key-1234567890' };

let outlet: SecureOutlet;
let printed: string[] = [];

beforeAll(async () => {
  outlet = await startSecureOutlet(
    { servers: { fx: { command: process.execPath, args: [FIXTURE] } } },
    {
      auth: {
        apiKeys: [
          { sha256: sha256(KEYS.user), principal: 'cli-user', roles: ['user'] },
          { sha256: sha256(KEYS.admin), principal: 'cli-admin', roles: ['admin'] },
        ],
      },
      policies: [{ effect: 'allow', roles: ['user', 'admin'], tools: ['fx__echo', 'fx__read_file'] }],
    },
  );
});

afterAll(async () => {
  await outlet?.close();
});

afterEach(() => {
  vi.restoreAllMocks();
  printed = [];
});

function capture(): void {
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
}

describe('outlet list --url --token', () => {
  it('lists what the token may see', async () => {
    capture();
    await listCommand({ url: `${outlet.url}/mcp`, token: KEYS.user });
    expect(printed.map((l) => l.split('\t')[0]).sort()).toEqual(['fx__echo', 'fx__read_file']);
  });

  it('says how to authenticate when the token is missing or wrong', async () => {
    await expect(listCommand({ url: `${outlet.url}/mcp` })).rejects.toThrow(/requires authentication: pass --token <token> or set \$OUTLET_TOKEN/);
    await expect(listCommand({ url: `${outlet.url}/mcp`, token: 'not-a-key-1234567890' })).rejects.toThrow(/refused the token \(401\)/);
  });
});

describe('outlet call --url --token', () => {
  it('calls the tool as the token\'s principal', async () => {
    capture();
    expect(await callCommand('fx__echo', { url: outlet.url, token: KEYS.user, args: '{"text":"through the gateway"}' })).toBe(0);
    expect(JSON.parse(printed.join('\n'))).toMatchObject({ content: [{ type: 'text', text: 'through the gateway' }] });
  });

  it('is refused without one', async () => {
    await expect(callCommand('fx__echo', { url: outlet.url, args: '{"text":"x"}' })).rejects.toThrow(/requires authentication/);
  });
});

describe('outlet logs --url --token', () => {
  it('reads a server\'s console lines with an admin token', async () => {
    capture();
    await logsCommand('fx', { url: outlet.url, token: KEYS.admin, json: true });
    expect(Array.isArray(JSON.parse(printed.join('\n')))).toBe(true);
  });

  it('is refused without a token, and with a token that lacks the admin role', async () => {
    await expect(logsCommand('fx', { url: outlet.url })).rejects.toThrow(/requires authentication: pass --token/);
    await expect(logsCommand('fx', { url: outlet.url, token: KEYS.user })).rejects.toThrow(/forbidden: \/api\/\* needs one of the roles admin/);
  });
});

describe('the outlet binary', () => {
  const run = (args: string[], env: Record<string, string>) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [OUTLET_BIN, ...args], { cwd: REPO_ROOT, timeout: 60_000, env: { ...process.env, OUTLET_LOG_LEVEL: 'silent', ...env } }, (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
      );
    });

  it('takes the token from $OUTLET_TOKEN when --token is not given, and --token wins over it', async () => {
    const fromEnv = await run(['list', '--url', outlet.url], { OUTLET_TOKEN: KEYS.user });
    expect(fromEnv.stderr).toBe('');
    expect(fromEnv.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[0]).sort()).toEqual(['fx__echo', 'fx__read_file']);
    const overridden = await run(['list', '--url', outlet.url, '--token', 'not-a-key-1234567890'], { OUTLET_TOKEN: KEYS.user });
    expect(overridden.code).toBe(1);
    expect(overridden.stderr).toContain('refused the token (401)');
  });
});
