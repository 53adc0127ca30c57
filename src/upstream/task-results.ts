import { specTypeSchemas } from '@modelcontextprotocol/client';
import type { ResultValidator } from './result-validators.js';

/**
 * Result schemas for the 2025-11-25 task flow ("Tasks" in that revision). The SDK v2 keeps the
 * task wire schemas but offers no typed request surface for them, and its own per-method check
 * would read a task-augmented tools/call answer (a CreateTaskResult) as a CallToolResult and
 * refuse it. These are the SDK's own schemas, named explicitly.
 */
const TASK_METHODS: Record<string, ResultValidator> = {
  'tasks/get': specTypeSchemas.GetTaskResult as unknown as ResultValidator,
  'tasks/result': specTypeSchemas.GetTaskPayloadResult as unknown as ResultValidator,
  'tasks/list': specTypeSchemas.ListTasksResult as unknown as ResultValidator,
  'tasks/cancel': specTypeSchemas.CancelTaskResult as unknown as ResultValidator,
};

/** A request is task-augmented when its params carry `task` (the requestor asks for a task). */
export function isTaskAugmented(params: Record<string, unknown> | undefined): boolean {
  return typeof params?.task === 'object' && params.task !== null;
}

/** The schema a task-flow answer is checked against, or undefined for an ordinary request. */
export function taskResultValidator(method: string, params: Record<string, unknown> | undefined): ResultValidator | undefined {
  if (isTaskAugmented(params)) return specTypeSchemas.CreateTaskResult as unknown as ResultValidator;
  return TASK_METHODS[method];
}
