// What a fresh process costs its first call, apart from any gateway: the echo server spoken to
// over raw stdio pipes (no SDK client, no sandbox), first tools/call against the third. A
// per-request instance is always on its first call, so this is the floor of what the mode adds.
import { spawn } from 'node:child_process';
import { ECHO } from './harness.js';
import { median, nowMs, round, sleep } from './stats.js';

async function oneProcess(): Promise<{ first: number; third: number }> {
  const child = spawn(process.execPath, [ECHO], { stdio: ['pipe', 'pipe', 'ignore'] });
  const waiting = new Map<number, () => void>();
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    for (let at = buffered.indexOf('\n'); at !== -1; at = buffered.indexOf('\n')) {
      const message = JSON.parse(buffered.slice(0, at)) as { id?: number };
      buffered = buffered.slice(at + 1);
      if (message.id !== undefined) waiting.get(message.id)?.();
    }
  });
  let id = 0;
  const request = (method: string, params: unknown): Promise<void> =>
    new Promise((resolve) => {
      waiting.set(++id, resolve);
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  await request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } });
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  await request('tools/list', {});
  await sleep(200); // a spare waits a while before its call
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = nowMs();
    await request('tools/call', { name: 'echo', arguments: { text: 'x' } });
    times.push(nowMs() - start);
  }
  const gone = new Promise((resolve) => child.once('close', resolve));
  child.kill('SIGTERM');
  await gone;
  return { first: times[0]!, third: times[2]! };
}

/** Medians over `runs` fresh processes: the first call, the third, and the difference. */
export async function measureFirstCall(runs = 20): Promise<{ runs: number; firstMs: number; thirdMs: number; excessMs: number }> {
  const first: number[] = [];
  const third: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await oneProcess();
    first.push(r.first);
    third.push(r.third);
  }
  return { runs, firstMs: round(median(first)), thirdMs: round(median(third)), excessMs: round(median(first) - median(third)) };
}
