import { describe, expect, it } from 'vitest';
import { eventually } from '../helpers/outlet.js';
import { suiteGateway } from '../helpers/suite-gateway.js';

// A server's console is its own output, and servers print the URLs they use, credentials and
// all. The logs endpoint hands those lines out of the process, so they pass the same outgoing
// redaction as errors and status.
const PASSWORD = 'p4ssw0rd-console-771';
const KEY = 'k3y-console-9931';
const PRINTS = `console.error('connecting to http://bob:${PASSWORD}@db.internal:5432/app?api_key=${KEY}'); setInterval(() => {}, 1000);`;
const suite = suiteGateway({ servers: { chatty: { command: process.execPath, args: ['-e', PRINTS] } } });

describe('GET /api/servers/<name>/logs', () => {
  it('gives the console lines with credentials redacted, the rest kept', async () => {
    const text = await eventually(async () => {
      const body = await (await suite.gw.fetch('/api/servers/chatty/logs')).text();
      return body.includes('connecting to') ? body : undefined;
    });
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(KEY);
    expect(text).toContain('db.internal:5432');
  });
});
