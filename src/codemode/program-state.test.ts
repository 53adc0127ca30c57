import { describe, expect, it } from 'vitest';
import { MemoryProgramState } from './program-state.js';

describe('MemoryProgramState', () => {
  it('keeps JSON values per session, apart from other sessions', async () => {
    const store = new MemoryProgramState(() => 1000);
    await store.set('a', 'k', { n: 1 }, 60_000);
    expect(await store.get('a', 'k')).toEqual({ n: 1 });
    expect(await store.get('b', 'k')).toBeUndefined();
    expect(await store.delete('a', 'k')).toBe(true);
    expect(await store.delete('a', 'k')).toBe(false);
  });

  it('forgets a value once its time to live has passed', async () => {
    let now = 0;
    const store = new MemoryProgramState(() => 1000, 10, () => now);
    await store.set('a', 'k', 1, 100);
    now = 99;
    expect(await store.get('a', 'k')).toBe(1);
    now = 100;
    expect(await store.get('a', 'k')).toBeUndefined();
  });

  it('refuses a set past the session\'s byte bound, naming the bound; replacing a key counts once', async () => {
    const store = new MemoryProgramState(() => 20);
    await store.set('a', 'k', 'x'.repeat(10), 60_000);
    await store.set('a', 'k', 'y'.repeat(10), 60_000);
    await expect(store.set('a', 'j', 'z'.repeat(10), 60_000)).rejects.toThrow(/maxBytesPerSession/);
  });

  it('refuses what is not JSON and keys out of bounds', async () => {
    const store = new MemoryProgramState(() => 1000);
    await expect(store.set('a', 'k', undefined, 1000)).rejects.toThrow(/not JSON/);
    await expect(store.get('a', '')).rejects.toThrow(/key/);
    await expect(store.get('a', 'k'.repeat(300))).rejects.toThrow(/key/);
  });

  it('holds at most maxSessions sessions, dropping the one written longest ago', async () => {
    const store = new MemoryProgramState(() => 1000, 2);
    await store.set('a', 'k', 1, 60_000);
    await store.set('b', 'k', 2, 60_000);
    await store.set('a', 'k', 3, 60_000);
    await store.set('c', 'k', 4, 60_000);
    expect(await store.get('b', 'k')).toBeUndefined();
    expect(await store.get('a', 'k')).toBe(3);
  });
});
