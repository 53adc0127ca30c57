import { getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { ENGINE_VARIABLES } from '../config/container-flags.js';
import type { SandboxProfile } from '../config/sandbox-profile.js';

/** The CLI's environment: the entry's, the gateway's engine settings, and the sandbox's passed-through names. */
export function cliEnvironment(specEnv: Record<string, string>, profile: SandboxProfile, env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...ENGINE_VARIABLES, ...profile.env]) {
    const value = env[name];
    if (value !== undefined) out[name] = value;
  }
  return { ...out, ...specEnv };
}

/**
 * Names passed into the container: the entry's own `env` and the sandbox's `env` list. The variables
 * every stdio server inherits (PATH, HOME, ...) describe the host, not the image, and the engine's
 * settings are for the CLI; both stay out unless the entry set them to something of its own.
 */
export function containerVariables(specEnv: Record<string, string>, profile: SandboxProfile, env: NodeJS.ProcessEnv): string[] {
  const inherited = getDefaultEnvironment();
  const names = new Set<string>();
  for (const [name, value] of Object.entries(specEnv)) {
    if (ENGINE_VARIABLES.includes(name) || inherited[name] === value) continue;
    names.add(name);
  }
  for (const name of profile.env) if (env[name] !== undefined) names.add(name);
  return [...names].sort();
}
