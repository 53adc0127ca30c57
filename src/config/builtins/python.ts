import { resolve } from 'node:path';
import * as z from 'zod';
import { builtinSpec } from './builtin-spec.js';
import { checkPackageRequest } from './python-packages.js';

const requirement = z.string().superRefine((value, ctx) => {
  const checked = checkPackageRequest(value);
  if ('problem' in checked) ctx.addIssue({ code: 'custom', message: checked.problem });
});

/**
 * `python`: runs Python from the host in the cage, no network unless an index is configured (and
 * then only to it). Packages come only from what the operator approved here, exact pins, installed
 * from the configured wheelhouse or index.
 */
export const pythonBuiltin = builtinSpec({
  name: 'python',
  description: 'Runs Python code (CPython from the host) in the cage with time and output limits; packages only from the approved exact pins, installed from a wheelhouse or an index.',
  options: {
    python: z.string().min(1).default('/usr/bin/python3').describe('The Python interpreter (an absolute path visible in the sandbox). Default: /usr/bin/python3.'),
    packages: z.array(requirement).default([]).describe('Approved packages, each an exact pin "name==version"; a program may ask for these only. Checked for PEP 508/440 form, known-malicious names and typosquats of popular packages. Default: none.'),
    wheelhouse: z.string().min(1).optional().describe('Folder of wheel files packages are installed from (pip --no-index --find-links), relative to the config file. Mounted read-only.'),
    index: z.url({ protocol: /^https?$/ }).optional().describe('A package index URL (pip --index-url) packages are installed from; the cage then allows that host only.'),
    runTimeoutMs: z.int().positive().max(600_000).default(30_000).describe('Longest run of one program, in milliseconds (the entry\'s own timeoutMs bounds the whole call, installs included). Default: 30000.'),
    maxOutputBytes: z.int().positive().default(65_536).describe('stdout and stderr kept per run, each, in bytes. Default: 65536.'),
  },
  resolve: (options, baseDir) => ({ ...options, ...(options.wheelhouse ? { wheelhouse: resolve(baseDir, options.wheelhouse) } : {}) }),
  sandbox: (resolved) => {
    const mounts = typeof resolved.wheelhouse === 'string' ? [{ path: resolved.wheelhouse, mode: 'ro' as const }] : [];
    const index = typeof resolved.index === 'string' ? new URL(resolved.index) : undefined;
    return { network: index ? { allow: [index.port ? `${index.hostname}:${index.port}` : index.hostname] } : 'none', ...(mounts.length > 0 ? { mounts } : {}) };
  },
});
