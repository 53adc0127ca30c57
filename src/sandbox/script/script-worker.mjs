// The worker thread of a ScriptPool (script-pool.ts): loads QuickJS once, then runs one program
// at a time as the pool sends them. Plain JavaScript because workers are loaded by Node as they
// are, in tests and in the published build alike.
//
// Messages in:  { type: 'run', runId, code, toolNames, limits, hasState }
//               { type: 'reply', runId, callId, ok, value? | name?, message? }
//               { type: 'cancel', runId }
// Messages out: { type: 'started', runId }             the program is compiled and starts now
//               { type: 'call', runId, callId, name, args? }
//               { type: 'state', runId, callId, op, key, value?, ttlMs? }
//               { type: 'done', runId, outcome, recycle }  recycle: replace this worker
import { parentPort, workerData } from 'node:worker_threads';
import { loadEngine } from './script-engine.mjs';
import { ScriptRun } from './script-run.mjs';

if (!parentPort) throw new Error('script-worker.mjs runs only as a worker thread');
const port = parentPort;
/** The pool writes a run id here to stop that run while the VM is busy (see ScriptRun.shouldInterrupt). */
const cancelFlag = new Int32Array(workerData.cancel);
const engine = loadEngine();
/** @type {ScriptRun | undefined} */
let current;

port.on('message', (message) => {
  if (message.type === 'run') {
    void start(message);
    return;
  }
  if (!current || message.runId !== current.request.runId) return;
  if (message.type === 'reply') current.host?.onReply(message);
  else if (message.type === 'cancel') current.cancel();
});

async function start(request) {
  const run = new ScriptRun(await engine, request, (message) => port.postMessage(message), cancelFlag);
  current = run;
  const { outcome, recycle } = await run.start();
  if (current === run) current = undefined;
  port.postMessage({ type: 'done', runId: request.runId, outcome, recycle });
}
