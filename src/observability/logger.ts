import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * The application log: JSON lines on stderr. Never stdout, which `outlet stdio` uses for the
 * protocol itself. `OUTLET_LOG_LEVEL` sets the level (default `info`; tests use `silent`).
 */
export function createLogger(level = process.env.OUTLET_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { svc: 'mcp-outlet' } }, pino.destination({ fd: 2, sync: false }));
}

/** A logger that drops everything (tests and embedded use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
