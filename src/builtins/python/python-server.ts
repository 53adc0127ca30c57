import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import { checkPackageRequest, type PackagePin } from '../../config/builtins/python-packages.js';
import { defineServer, defineTool, type ServerDefinition } from '../define.js';
import { runProcess } from './run-process.js';

interface PythonOptions {
  python: string;
  packages: string[];
  wheelhouse?: string;
  index?: string;
  runTimeoutMs: number;
  maxOutputBytes: number;
}

/** How long installing a program's packages may take, in milliseconds. */
const INSTALL_TIMEOUT_MS = 120_000;

/** The `python` built-in: one tool, execute_python, with packages only from the approved pins. */
export function pythonServer(options: PythonOptions): ServerDefinition {
  const approved = new Map<string, PackagePin>();
  for (const request of options.packages) {
    const checked = checkPackageRequest(request);
    if ('pin' in checked) approved.set(checked.pin.name, checked.pin);
  }
  const work = mkdtempSync(join(tmpdir(), 'outlet-python-'));
  return defineServer({
    name: 'outlet-python',
    tools: [
      defineTool({
        name: 'execute_python',
        description: `Runs Python 3 code (a script: print what you want back) with a ${options.runTimeoutMs} ms limit and no network. ${approved.size > 0 ? `Packages you may ask for (exact pins): ${[...approved.values()].map((p) => `${p.name}==${p.version}`).join(', ')}.` : 'No third-party packages are approved.'}`,
        input: z.object({
          code: z.string().min(1).max(200_000).describe('The Python source to run'),
          packages: z.array(z.string()).max(20).optional().describe('Approved packages to install first, each as name==version'),
        }),
        output: z.object({ exitCode: z.number().nullable(), stdout: z.string(), stderr: z.string(), timedOut: z.boolean(), droppedBytes: z.number() }),
        annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
        run: async ({ code, packages = [] }, { signal }) => {
          const pins = packages.map((request) => approvedPin(request, approved));
          const site = pins.length > 0 ? await install(pins, options, work, signal) : undefined;
          const run = mkdtempSync(join(work, 'run-'));
          try {
            const outcome = await runProcess(options.python, ['-s', '-u', '-'], {
              env: { PATH: '/usr/bin:/bin', HOME: run, LANG: 'C.UTF-8', ...(site ? { PYTHONPATH: site } : {}) },
              cwd: run,
              timeoutMs: options.runTimeoutMs,
              maxBytes: options.maxOutputBytes,
              signal,
              stdin: code,
            });
            return { exitCode: outcome.exitCode, stdout: outcome.stdout, stderr: outcome.timedOut ? `${outcome.stderr}\n[killed: the program ran past ${options.runTimeoutMs} ms]` : outcome.stderr, timedOut: outcome.timedOut, droppedBytes: outcome.droppedBytes };
          } finally {
            rmSync(run, { recursive: true, force: true });
          }
        },
      }),
    ],
  });
}

/** A request checked again (form, blocklist, typosquat), then held to the operator's approved pins. */
function approvedPin(request: string, approved: ReadonlyMap<string, PackagePin>): PackagePin {
  const checked = checkPackageRequest(request);
  if ('problem' in checked) throw new Error(`packages: ${checked.problem}`);
  const pin = approved.get(checked.pin.name);
  if (!pin) throw new Error(`packages: "${checked.pin.name}" is not approved on this server (approved: ${[...approved.keys()].join(', ') || 'none'})`);
  if (pin.version !== checked.pin.version) throw new Error(`packages: "${checked.pin.name}" is approved at ${pin.version} only, not ${checked.pin.version}`);
  return pin;
}

/** Installs the pins into a folder of their own (reused by later runs asking for the same set); returns it. */
async function install(pins: PackagePin[], options: PythonOptions, work: string, signal: AbortSignal): Promise<string> {
  const source = options.wheelhouse ? ['--no-index', '--find-links', options.wheelhouse] : options.index ? ['--index-url', options.index] : undefined;
  if (!source) throw new Error('packages: this server has no package source (set "wheelhouse" or "index" in its config); only the standard library is available');
  const specs = pins.map((p) => `${p.name}==${p.version}`).sort();
  const target = join(work, `site-${createHash('sha256').update(specs.join('\n')).digest('hex').slice(0, 16)}`);
  if (existsSync(join(target, '.complete'))) return target;
  mkdirSync(target, { recursive: true });
  const outcome = await runProcess(options.python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--no-deps', '--only-binary', ':all:', '--target', target, ...source, ...specs], {
    env: { PATH: '/usr/bin:/bin', HOME: work, LANG: 'C.UTF-8', ...(process.env.HTTPS_PROXY ? { HTTPS_PROXY: process.env.HTTPS_PROXY, HTTP_PROXY: process.env.HTTP_PROXY ?? '' } : {}) },
    cwd: work,
    timeoutMs: INSTALL_TIMEOUT_MS,
    maxBytes: 16_384,
    signal,
  });
  if (outcome.exitCode !== 0) {
    rmSync(target, { recursive: true, force: true });
    const reason = (outcome.stderr || outcome.stdout).trim().split('\n').slice(-3).join(' ');
    throw new Error(`packages: installing ${specs.join(', ')} from ${options.wheelhouse ?? options.index} failed: ${reason || `pip exited ${outcome.exitCode}`}`);
  }
  mkdirSync(join(target, '.complete'));
  return target;
}
