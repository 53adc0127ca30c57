import { pino, type Logger } from 'pino';
import { logDestination, type BatchedLines } from './log-destination.js';

export type { Logger } from 'pino';

/** Loggers made by createLogger, with their destination: their options are known (below). */
const ownLoggers = new WeakMap<Logger, BatchedLines>();

/**
 * The application log: JSON lines on stderr. Never stdout, which `outlet stdio` uses for the
 * protocol itself. `OUTLET_LOG_LEVEL` sets the level (default `info`; tests use `silent`).
 * Written in batches (`log-destination.ts`): one write per line cost more than
 * the line itself under load (a tool-call line per call). `to`: a file descriptor or a file to
 * append to, instead of stderr.
 */
export function createLogger(level = process.env.OUTLET_LOG_LEVEL ?? 'info', to: number | string = 2): Logger {
  const destination = logDestination(to);
  const logger = pino({ level, base: { svc: 'mcp-outlet' } }, destination);
  ownLoggers.set(logger, destination);
  return logger;
}

/** A logger that drops everything (tests and embedded use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** Writes one info line: `fields` (undefined ones left out) and the message. */
export type InfoLineWriter = (fields: Record<string, unknown>, msg: string) => void;

const { chindingsSym } = pino.symbols;

/**
 * An info-line writer for a line written on every call (the tool-call line). For a logger
 * createLogger made, the line is serialized by `JSON.stringify` and handed to the destination
 * directly: pino's own serializer walks the fields in JavaScript and was, with its time and
 * write calls, about a third of observability's cost per call under load. The line is the one
 * pino writes: `{"level":30,"time":<epoch ms>,<bindings>,<fields>,"msg":...}`, with the level
 * and bindings read at each call (setLevel and setBindings still apply). Any other logger (an
 * embedder's, a test's) is called as usual.
 */
export function infoLineWriter(logger: Logger): InfoLineWriter {
  const destination = ownLoggers.get(logger);
  if (!destination) return (fields, msg) => logger.info(fields, msg);
  const bindings = logger as unknown as Record<symbol, string>;
  return (fields, msg) => {
    if (!logger.isLevelEnabled('info')) return;
    fields.msg = msg;
    // `{"a":...}` -> `{"level":30,"time":...,<bindings>,"a":...}`: the slice is a view, not a copy.
    destination.write(`{"level":30,"time":${Date.now()}${bindings[chindingsSym]},${JSON.stringify(fields).slice(1)}\n`);
  };
}
