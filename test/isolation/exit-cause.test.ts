import { describe, expect, it } from 'vitest';
import { exitCause } from '../../src/supervisor/exit-cause.js';

const base = { server: 's', code: null, signal: null, usage: {}, limits: { memoryMb: 64, wallClockSeconds: 5 } };

describe('exitCause', () => {
  it('names the limit a process was killed for, the gateway\'s kills first', () => {
    expect(exitCause({ ...base, signal: 'SIGKILL', killedFor: { kind: 'wallClock' } })).toEqual({ text: 'upstream "s" was killed at its wall-clock limit (5 s)', limit: 'wallClock' });
    expect(exitCause({ ...base, signal: 'SIGKILL', killedFor: { kind: 'output', detail: 'too loud' } })).toEqual({ text: 'upstream "s" was killed for flooding its console: too loud', limit: 'output' });
    expect(exitCause({ ...base, code: 137, usage: { oomKills: 1 } })).toEqual({ text: 'upstream "s" was killed at its memory limit (64 MiB)', limit: 'memory' });
  });

  it('otherwise says how it ended, reading bwrap\'s 128+N status as signal N', () => {
    expect(exitCause({ ...base, code: 139 })).toEqual({ text: 'upstream "s" was killed by SIGSEGV' });
    expect(exitCause({ ...base, signal: 'SIGTERM' })).toEqual({ text: 'upstream "s" was killed by SIGTERM' });
    expect(exitCause({ ...base, code: 3, usage: { oomKills: 0 } })).toEqual({ text: 'upstream "s" exited with code 3' });
  });
});
