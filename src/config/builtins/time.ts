import * as z from 'zod';
import { builtinSpec } from './builtin-spec.js';

/** `time`: the current time in any IANA zone, conversions and differences. Touches nothing. */
export const timeBuiltin = builtinSpec({
  name: 'time',
  description: 'The current time in an IANA zone, converting a time between zones, the difference between two times. Touches no file and no network.',
  options: {
    defaultZone: z.string().min(1).optional().describe('IANA zone used when a call names none (e.g. "Europe/Paris"). Default: UTC.'),
  },
  resolve: (options) => ({ ...options }),
  sandbox: () => ({ network: 'none' }),
});
