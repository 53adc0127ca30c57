import { describe, expect, it } from 'vitest';
import { isOutletError } from '../../src/errors/index.js';
import { SessionBudget } from '../../src/protocol/session-budget.js';

/** A budget on a hand-moved clock, and the ids it closed, in order. */
function budget(max: number, idleTimeoutMs: number) {
  let now = 0;
  const closed: string[] = [];
  const b = new SessionBudget(() => ({ max, idleTimeoutMs }), () => now);
  const open = (id: string) => b.reserve().commit(id, () => closed.push(id));
  return { b, closed, open, advance: (ms: number) => (now += ms) };
}

describe('SessionBudget', () => {
  it('closes the session idle longest to make room at the cap, counting use, not opening order', () => {
    const { b, closed, open, advance } = budget(3, 60_000);
    open('a');
    advance(1);
    open('b');
    advance(1);
    open('c');
    advance(1);
    b.touch('a');
    open('d');
    expect(closed).toEqual(['b']);
    open('e');
    expect(closed).toEqual(['b', 'c']);
    expect(b.size).toBe(3);
  });

  it('never closes a busy session, and refuses a new one naming the key when every session is busy', () => {
    const { b, closed, open } = budget(2, 1000);
    open('a');
    open('b');
    const endA = b.begin('a');
    b.begin('b');
    let refusal: unknown;
    try {
      b.reserve();
    } catch (err) {
      refusal = err;
    }
    expect(isOutletError(refusal) && refusal.code).toBe('GATEWAY_BUSY');
    expect((refusal as Error).message).toContain('http.sessions.max = 2');
    endA();
    open('c');
    expect(closed).toEqual(['a']);
  });

  it('expires sessions idle past the timeout at a sweep, and counts a place being opened', () => {
    const { b, closed, open, advance } = budget(2, 1000);
    open('a');
    advance(600);
    open('b');
    advance(500);
    b.sweep();
    expect(closed).toEqual(['a']);
    const place = b.reserve();
    expect(b.size).toBe(2);
    place.cancel();
    place.cancel();
    expect(b.size).toBe(1);
  });
});
