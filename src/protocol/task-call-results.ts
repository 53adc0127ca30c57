import { ProtocolError, ProtocolErrorCode, type Server, specTypeSchemas } from '@modelcontextprotocol/server';
import { isTaskAugmented } from '../upstream/task-results.js';

type Handler = (request: { params?: Record<string, unknown> }, ctx: unknown) => Promise<Record<string, unknown>>;
type Wrap = (method: string, handler: Handler) => Handler;

/**
 * Lets a task-augmented tools/call answer with a CreateTaskResult (2025-11-25 "Tasks": the
 * receiver answers such a request with the task it created, the tool's own result comes later
 * from tasks/result). The SDK v2 server keeps the task wire schemas but no task runtime: its
 * tools/call wrapper checks every answer as a CallToolResult and refuses a task. This wraps that
 * wrapper: an answer that carries `task`, to a request that asked for one, is checked against
 * the SDK's own CreateTaskResult schema instead; every other answer goes through the SDK's check.
 */
export function allowTaskResults(server: Server): void {
  const target = server as unknown as { _wrapHandler: Wrap };
  const base = target._wrapHandler.bind(server) as Wrap;
  if (typeof base !== 'function') return;
  target._wrapHandler = (method, handler) => {
    const wrapped = base(method, handler);
    if (method !== 'tools/call') return wrapped;
    // Only a task-augmented call takes the async detour; every other tools/call is the SDK's own wrapper.
    const taskCall: typeof wrapped = async (request, ctx) => {
      const result = await handler(request, ctx);
      if (typeof result.task !== 'object' || result.task === null) return base(method, () => Promise.resolve(result))(request, ctx);
      const checked = specTypeSchemas.CreateTaskResult['~standard'].validate(result);
      if ('issues' in checked && checked.issues) {
        throw new ProtocolError(ProtocolErrorCode.InternalError, `Invalid CreateTaskResult for tools/call: ${checked.issues.map((i) => i.message).join('; ')}`);
      }
      return result;
    };
    return (request, ctx) => (isTaskAugmented(request.params) ? taskCall(request, ctx) : wrapped(request, ctx));
  };
}
