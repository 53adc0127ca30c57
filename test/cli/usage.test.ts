import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOutlet } from '../helpers/cli.js';
import { OUTLET_BIN, REPO_ROOT } from '../helpers/servers.js';

// The CLI's own surface: --version, exit code 2 for every usage error (commander's included),
// `validate --json`, and a one-shot command that leaves no file behind in the directory it ran in.

const dir = mkdtempSync(join(tmpdir(), 'outlet-cli-usage-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('outlet --version', () => {
  it('prints the version of the package', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = await runOutlet(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });
});

describe('usage errors exit 2', () => {
  it.each([
    ['an unknown option', ['list', '--bogus'], /unknown option '--bogus'/],
    ['a missing argument', ['call'], /missing required argument 'tool'/],
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['an option without its value', ['validate', 'x.json', '--json', 'extra'], /too many arguments/],
  ])('%s', async (_name, args, message) => {
    const r = await runOutlet(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('while --help still exits 0', async () => {
    const r = await runOutlet(['list', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: outlet list');
  });
});

describe('outlet validate --json', () => {
  it('reports a valid file with its servers and no issues', async () => {
    const path = file('ok.json', JSON.stringify({ mcpServers: { fs: { command: 'node', args: ['s.js'] }, web: { url: 'http://127.0.0.1:9/mcp' } } }));
    const r = await runOutlet(['validate', '--json', path]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ valid: true, file: path, servers: ['fs', 'web'], issues: [], warnings: [] });
  });

  it('lists every issue of an invalid file with its path, and exits 2', async () => {
    const path = file('bad.json', JSON.stringify({ listen: { port: 'x' }, servers: { fs: { comand: 'node' } } }));
    const r = await runOutlet(['validate', '--json', path]);
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout) as { valid: boolean; issues: { path: string; message: string }[] };
    expect(report.valid).toBe(false);
    expect(report.issues).toEqual(
      expect.arrayContaining([
        { path: 'listen.port', message: 'expected number, got string' },
        { path: 'servers.fs.comand', message: 'unknown key (did you mean "command"?)' },
      ]),
    );
  });

  it('prints what a pasted client file had that the outlet ignores, each with its path', async () => {
    const path = join(REPO_ROOT, 'test/config/fixtures/clients/claude/claude_desktop_config.json');
    const plain = await runOutlet(['validate', path]);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toContain('outlet: warning: globalShortcut: ignored: not an mcp-outlet setting');
    const json = JSON.parse((await runOutlet(['validate', '--json', path])).stdout) as { warnings: { path: string }[] };
    expect(json.warnings.map((w) => w.path)).toEqual(['globalShortcut', 'preferences']);
  });

  it('locates a syntax error by line and column', async () => {
    const path = file('syntax.json', '{\n  "servers": {,}\n}');
    const r = await runOutlet(['validate', '--json', path]);
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout) as { issues: { path: string }[] };
    expect(report.issues[0]?.path).toMatch(/^line 2, column \d+$/);
  });
});

describe('outlet list without a config', () => {
  it('creates no file in the directory it runs in, nor leaves a temporary workspace', async () => {
    // Both directories world-traversable: as root, the sandboxed default servers run as another uid.
    const cwd = mkdtempSync(join(tmpdir(), 'outlet-cli-cwd-'));
    const scratch = mkdtempSync(join(tmpdir(), 'outlet-cli-tmp-'));
    chmodSync(cwd, 0o755);
    chmodSync(scratch, 0o755);
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [OUTLET_BIN, 'list'], { cwd, timeout: 90_000, env: { ...process.env, TMPDIR: scratch, OUTLET_LOG_LEVEL: 'silent' } }, (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
      );
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^filesystem__read_text_file\t/m);
    expect(r.stdout).toMatch(/^memory__read_graph\t/m);
    expect(readdirSync(cwd)).toEqual([]);
    // (tsx, which runs the CLI from source, keeps its compile cache there: not the outlet's.)
    expect(readdirSync(scratch).filter((name) => !name.startsWith('tsx-'))).toEqual([]);
  }, 120_000);
});
