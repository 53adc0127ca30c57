import { describe, expect, it } from 'vitest';
import { ConsoleGate, FLOOD_FACTOR, FLOOD_WINDOWS, OutputRateLimiter } from '../../src/sandbox/output-rate.js';

/** A clock the test moves by hand. */
function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 10_000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('OutputRateLimiter', () => {
  it('passes a window\'s worth of lines, then drops with one marker per run of drops', () => {
    const c = clock();
    const rate = new OutputRateLimiter(100, c.now);
    const verdicts = Array.from({ length: 15 }, () => rate.admit(10));
    expect(verdicts.slice(0, 10).every((v) => v.pass && !v.marker)).toBe(true);
    expect(verdicts[10]).toMatchObject({ pass: false, marker: expect.stringMatching(/output over 100 B\/s/) });
    expect(verdicts.slice(11).every((v) => !v.pass && !v.marker)).toBe(true);
    expect(rate.droppedLines).toBe(5);
    c.advance(1000);
    expect(rate.admit(10)).toEqual({ pass: true });
    expect(rate.admit(95).marker).toBeDefined(); // a new run of drops gets its own marker
  });

  it(`kills only after ${FLOOD_WINDOWS} consecutive windows above ${FLOOD_FACTOR}x the rate`, () => {
    const c = clock();
    const rate = new OutputRateLimiter(100, c.now);
    const flood = FLOOD_FACTOR * 100 + 1;
    for (let w = 1; w < FLOOD_WINDOWS; w++) {
      expect(rate.count(flood), `window ${w}`).toBeUndefined();
      c.advance(1000);
    }
    expect(rate.count(flood)).toMatch(/above 10 x 100 B\/s in 3 one-second windows in a row/);
  });

  it('forgives a flood that pauses: a quiet window, or a gap in time, starts the count again', () => {
    const c = clock();
    const rate = new OutputRateLimiter(100, c.now);
    const flood = FLOOD_FACTOR * 100 + 1;
    expect(rate.count(flood)).toBeUndefined();
    c.advance(1000);
    expect(rate.count(flood)).toBeUndefined();
    c.advance(1000);
    expect(rate.count(50)).toBeUndefined(); // a quiet window
    c.advance(1000);
    expect(rate.count(flood)).toBeUndefined();
    c.advance(5000); // nothing for a while
    expect(rate.count(flood)).toBeUndefined();
  });
});

describe('ConsoleGate', () => {
  it('passes everything without a rate, and silences a flooder after killing it once', () => {
    const seen: string[] = [];
    const open = new ConsoleGate((_s, l) => seen.push(l), undefined, () => undefined);
    for (let i = 0; i < 5000; i++) if (open.chunk(1000)) open.line('stderr', `l${i}`);
    expect(seen).toHaveLength(5000);

    const kills: string[] = [];
    const kept: string[] = [];
    const gate = new ConsoleGate((_s, l) => kept.push(l), 1, (why) => kills.push(why));
    // At 1 B/s even a one-character line (two bytes with its newline) is over: only the marker shows.
    gate.line('stdout', 'a');
    gate.line('stdout', 'b');
    expect(kept).toEqual([expect.stringMatching(/output over 1 B\/s/)]);
    expect(kills).toEqual([]);
  });
});
