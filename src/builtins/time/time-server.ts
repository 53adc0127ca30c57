import * as z from 'zod';
import { defineServer, defineTool, type ServerDefinition } from '../define.js';
import { checkZone, offsetMinutes, partsIn } from './zone.js';

const moment = z.object({ zone: z.string(), date: z.string(), time: z.string(), utcOffset: z.string(), weekday: z.string(), iso: z.string() });

function describe(instant: Date, zone: string): z.output<typeof moment> {
  const parts = partsIn(instant, zone);
  return { zone, date: parts.date, time: parts.time, utcOffset: parts.offset, weekday: parts.weekday, iso: `${parts.date}T${parts.time}${parts.offset}` };
}

/** The `time` built-in: the current time anywhere, conversions between zones, differences. */
export function timeServer(options: { defaultZone?: string }): ServerDefinition {
  const fallback = options.defaultZone ?? 'UTC';
  checkZone(fallback, 'defaultZone');
  return defineServer({
    name: 'outlet-time',
    tools: [
      defineTool({
        name: 'get_current_time',
        description: `The current date and time in an IANA time zone (default ${fallback}).`,
        input: z.object({ timezone: z.string().optional().describe('IANA zone, e.g. "Asia/Tokyo"') }),
        output: moment,
        annotations: { readOnlyHint: true, openWorldHint: false },
        run: ({ timezone }) => describe(new Date(), checkZone(timezone ?? fallback, 'timezone')),
      }),
      defineTool({
        name: 'convert_time',
        description: 'Converts a wall-clock time (HH:MM, today in the source zone) to another zone.',
        input: z.object({
          source_timezone: z.string().describe('IANA zone the time is in'),
          time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour').describe('HH:MM, 24-hour'),
          target_timezone: z.string().describe('IANA zone to convert to'),
        }),
        output: z.object({ source: moment, target: moment, hoursDifference: z.number() }),
        annotations: { readOnlyHint: true, openWorldHint: false },
        run: ({ source_timezone, time, target_timezone }) => {
          const from = checkZone(source_timezone, 'source_timezone');
          const to = checkZone(target_timezone, 'target_timezone');
          const now = new Date();
          const today = partsIn(now, from).date;
          const [hours, minutes] = time.split(':').map(Number) as [number, number];
          // The instant whose wall clock in `from` reads `today time`: UTC of those digits, less the zone's offset.
          const naive = Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1, Number(today.slice(8, 10)), hours, minutes);
          const instant = new Date(naive - offsetMinutes(new Date(naive), from) * 60_000);
          const hoursDifference = (offsetMinutes(instant, to) - offsetMinutes(instant, from)) / 60;
          return { source: describe(instant, from), target: describe(instant, to), hoursDifference };
        },
      }),
      defineTool({
        name: 'time_difference',
        description: 'The time between two ISO 8601 date-times (with offsets or Z), in days, hours, minutes and seconds.',
        input: z.object({ from: z.string().describe('ISO 8601, e.g. 2026-12-08T09:00:00Z'), to: z.string().describe('ISO 8601') }),
        output: z.object({ seconds: z.number(), minutes: z.number(), hours: z.number(), days: z.number(), text: z.string() }),
        annotations: { readOnlyHint: true, openWorldHint: false },
        run: ({ from, to }) => {
          const a = Date.parse(from);
          const b = Date.parse(to);
          if (Number.isNaN(a)) throw new Error(`from: "${from}" is not an ISO 8601 date-time`);
          if (Number.isNaN(b)) throw new Error(`to: "${to}" is not an ISO 8601 date-time`);
          const seconds = (b - a) / 1000;
          const abs = Math.abs(seconds);
          const text = `${seconds < 0 ? '-' : ''}${Math.floor(abs / 86400)}d ${Math.floor((abs % 86400) / 3600)}h ${Math.floor((abs % 3600) / 60)}m ${Math.floor(abs % 60)}s`;
          return { seconds, minutes: seconds / 60, hours: seconds / 3600, days: seconds / 86400, text };
        },
      }),
    ],
  });
}
