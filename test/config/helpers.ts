import { expect } from 'vitest';
import { OutletError } from '../../src/errors/index.js';

/** Runs `fn`, expects a CONFIG_INVALID OutletError, and returns it for closer assertions. */
export function configFailure(fn: () => unknown): OutletError & { data: { issues: { path: string; message: string }[] } } {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(OutletError);
  const err = caught as OutletError;
  expect(err.code).toBe('CONFIG_INVALID');
  return err as OutletError & { data: { issues: { path: string; message: string }[] } };
}

/** Same as {@link configFailure} for an async function. */
export async function configFailureAsync(fn: () => Promise<unknown>): Promise<OutletError & { data: { issues: { path: string; message: string }[] } }> {
  const err = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OutletError);
  expect((err as OutletError).code).toBe('CONFIG_INVALID');
  return err as OutletError & { data: { issues: { path: string; message: string }[] } };
}
