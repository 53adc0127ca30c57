/**
 * The requests whose answer is a catalog list (tools, prompts, resources, resource templates):
 * what a client reads once at connect time, and what the call audit leaves out unless asked.
 */
export const LIST_METHODS: ReadonlySet<string> = new Set(['tools/list', 'prompts/list', 'resources/list', 'resources/templates/list']);
