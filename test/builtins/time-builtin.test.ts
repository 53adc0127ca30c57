import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { suiteGateway } from '../helpers/suite-gateway.js';

type CallResult = { content: { type: string; text: string }[]; isError?: boolean; structuredContent?: Record<string, unknown> };

// The time built-in through the real gateway: `outlet builtin time` started by the supervisor,
// in the sandbox its options call for, like any stdio server.
const suite = suiteGateway({ servers: { clock: { builtin: 'time', defaultZone: 'Europe/Paris' } } }, { ready: true });

describe('the time built-in', () => {
  it('lists its three tools with honest annotations', async () => {
    const client = await suite.gw.client();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['clock__convert_time', 'clock__get_current_time', 'clock__time_difference']);
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
  });

  it('gives the current time in the default zone and in a named one', async () => {
    const client = await suite.gw.client();
    const paris = (await client.callTool({ name: 'clock__get_current_time', arguments: {} })) as CallResult;
    expect(paris.structuredContent).toMatchObject({ zone: 'Europe/Paris', utcOffset: expect.stringMatching(/^\+0[12]:00$/) });
    const tokyo = (await client.callTool({ name: 'clock__get_current_time', arguments: { timezone: 'Asia/Tokyo' } })) as CallResult;
    expect(tokyo.structuredContent).toMatchObject({ zone: 'Asia/Tokyo', utcOffset: '+09:00' });
  });

  it('converts between zones and measures differences', async () => {
    const client = await suite.gw.client();
    const converted = (await client.callTool({ name: 'clock__convert_time', arguments: { source_timezone: 'UTC', time: '12:00', target_timezone: 'Asia/Kolkata' } })) as CallResult;
    expect(converted.structuredContent).toMatchObject({ hoursDifference: 5.5, target: { time: '17:30:00' } });
    const diff = (await client.callTool({ name: 'clock__time_difference', arguments: { from: '2026-12-08T09:00:00Z', to: '2026-12-09T10:30:15+01:00' } })) as CallResult;
    expect(diff.structuredContent).toMatchObject({ seconds: 88_215, text: '1d 0h 30m 15s' });
  });

  it('answers a bad zone or date with a tool error that names the argument', async () => {
    const client = await suite.gw.client();
    const zone = (await client.callTool({ name: 'clock__get_current_time', arguments: { timezone: 'Mars/Olympus' } })) as CallResult;
    expect(zone.isError).toBe(true);
    expect(zone.content[0]!.text).toMatch(/timezone: "Mars\/Olympus" is not an IANA time zone/);
    const date = (await client.callTool({ name: 'clock__time_difference', arguments: { from: 'yesterday', to: '2026-01-01T00:00:00Z' } })) as CallResult;
    expect(date.content[0]!.text).toMatch(/from: "yesterday"/);
  });
});

describe('a built-in entry in the config', () => {
  it('is checked like the rest of the file: unknown built-ins and options are named with their path', () => {
    expect(() => parseConfig({ servers: { c: { builtin: 'tiem' } } })).toThrow(/servers\.c\.builtin: no built-in named "tiem" \(did you mean "time"\?\)/);
    expect(() => parseConfig({ servers: { c: { builtin: 'time', defaultZon: 'UTC' } } })).toThrow(/servers\.c\.defaultZon: unknown key \(did you mean "defaultZone"\?\)/);
  });

  it('becomes a stdio entry running this package\'s CLI, caged with no network', () => {
    const config = parseConfig({ mcpServers: { c: { builtin: 'time', prefix: 'tm' } } });
    const server = config.servers.c!;
    expect(server).toMatchObject({ transport: 'stdio', prefix: 'tm', command: process.execPath });
    if (server.transport !== 'stdio') throw new Error('expected stdio');
    expect(server.args.slice(1)).toEqual(['builtin', 'time']);
    expect(server.args[0]).toMatch(/bin\/outlet\.js$/);
    expect(server.sandbox.network).toBe('none');
  });
});
