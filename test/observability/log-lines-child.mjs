// Writes numbered lines through the application log's destination, then ends as argv says:
//   node --import tsx log-lines-child.mjs <file> <count> exit|end|throw
import { pino } from 'pino';
import { logDestination } from '../../src/observability/log-destination.js';

const [file, count, how] = process.argv.slice(2);
const log = pino({ base: undefined }, logDestination(file));
for (let i = 0; i < Number(count); i++) log.info({ i }, 'line');
if (how === 'exit') process.exit(0);
if (how === 'throw') throw new Error('the process dies with lines still batched');
