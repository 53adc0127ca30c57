import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * How the application log is written: asynchronously, in batches of at least 4 KiB, and at least
 * every 250 ms. One write per line cost more than the line itself under load (a tool-call line per
 * call); batched, a burst of lines is one write. Whatever is buffered is written on exit.
 */
export const LOG_DESTINATION_OPTIONS = { sync: false, minLength: 4096, periodicFlush: 250 } as const;

/**
 * The application log: JSON lines on stderr. Never stdout, which `outlet stdio` uses for the
 * protocol itself. `OUTLET_LOG_LEVEL` sets the level (default `info`; tests use `silent`).
 */
export function createLogger(level = process.env.OUTLET_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { svc: 'mcp-outlet' } }, pino.destination({ fd: 2, ...LOG_DESTINATION_OPTIONS }));
}

/** A logger that drops everything (tests and embedded use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
