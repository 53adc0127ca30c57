/**
 * The pool's half of a program's host calls: a `call` or `state` message from the worker is
 * answered by the caller's `ScriptHost`, and the answer goes back as JSON text. Arguments are
 * parsed here from text the worker bounded (4 MiB), so the main thread never walks a VM object.
 */
import type { CallMessage, ReplyMessage, StateMessage } from './script-messages.js';
import type { ScriptRequest } from './script-types.js';

/**
 * Answers one host message; `reply` is called once, later, with the answer (the caller drops it
 * if the run has ended by then).
 *
 * @example
 * answerHostMessage(message, request, controller.signal, (reply) => worker.postMessage(reply));
 */
export function answerHostMessage(message: CallMessage | StateMessage, request: ScriptRequest, signal: AbortSignal, reply: (message: ReplyMessage) => void): void {
  const head = { type: 'reply', runId: message.runId, callId: message.callId } as const;
  const work = message.type === 'call' ? callTool(message, request, signal) : stateOp(message, request);
  work.then(
    (value) => {
      let text: string | undefined;
      try {
        text = value === undefined ? undefined : JSON.stringify(value);
      } catch (error) {
        reply({ ...head, ok: false, name: 'TypeError', message: `the answer is not a JSON value: ${describe(error)}` });
        return;
      }
      reply(text === undefined ? { ...head, ok: true } : { ...head, ok: true, value: text });
    },
    (error: unknown) => {
      reply({ ...head, ok: false, name: error instanceof Error ? error.name : 'Error', message: describe(error) });
    },
  );
}

async function callTool(message: CallMessage, request: ScriptRequest, signal: AbortSignal): Promise<unknown> {
  if (!request.toolNames.includes(message.name)) throw new Error(`no tool named ${message.name} is available to this program`);
  const args: unknown = message.args === undefined ? undefined : JSON.parse(message.args);
  return request.host.callTool(message.name, args, signal);
}

async function stateOp(message: StateMessage, request: ScriptRequest): Promise<unknown> {
  const state = request.host.state;
  if (!state) throw new Error('no state is available to this program');
  if (message.op === 'get') return state.get(message.key);
  if (message.op === 'delete') return state.delete(message.key);
  if (message.op === 'set' && message.value !== undefined) return state.set(message.key, JSON.parse(message.value), message.ttlMs);
  throw new TypeError(`unknown state operation ${String(message.op)}`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
