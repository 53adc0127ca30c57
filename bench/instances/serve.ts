// Runs one gateway for the benchmark in a process of its own (so the load generator does not share
// its event loop), from a JSON config given as the first argument; prints {"url"} when listening.
import { parseConfig } from '../../src/config/index.js';
import { startOutlet } from '../../src/outlet/runtime.js';
import { silentLogger } from '../../src/observability/logger.js';

const raw = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
const runtime = await startOutlet({ config: parseConfig(raw, { baseDir: process.cwd() }), host: '127.0.0.1', port: 0, logger: silentLogger() });
process.stdout.write(`${JSON.stringify({ url: runtime.url })}\n`);
const stop = (): void => void runtime.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
