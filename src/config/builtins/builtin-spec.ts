import type * as z from 'zod';
import type { SandboxProfileInput } from '../sandbox-schema.js';

/**
 * What the config knows of one built-in tool server: its options (a zod shape, validated like any
 * other part of the file), the options as the server process gets them (paths made absolute),
 * and the cage those options call for. The cage is derived from the options so that the tool's
 * own checks (roots, allowlists) are the second wall, never the only one.
 */
export interface BuiltinSpec<Shape extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  /** One line for `outlet schema` and the README: what the built-in offers. */
  description: string;
  options: Shape;
  /**
   * The options the server process receives (relative paths resolved against the config file's
   * folder). `gateway.url` is where this config's gateway listens, for a built-in that reports on it.
   */
  resolve(options: z.output<z.ZodObject<Shape>>, baseDir: string, gateway: { url: string }): Record<string, unknown>;
  /** The sandbox these (resolved) options need: mounts, network. The entry's own `sandbox` block is applied over it. */
  sandbox(resolved: Record<string, unknown>): SandboxProfileInput;
}

/** Declares a built-in's config side (an identity that keeps the option types). */
export function builtinSpec<Shape extends z.ZodRawShape>(spec: BuiltinSpec<Shape>): BuiltinSpec<Shape> {
  return spec;
}
