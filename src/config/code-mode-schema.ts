import * as z from 'zod';

/**
 * How an endpoint presents its tools. `mcp`: every tool listed as itself (the protocol as is).
 * `code`: two tools, `search_tools` and `execute_code`, stand for the whole catalog, so a model
 * pays for the tool definitions it looks up instead of all of them up front. `hybrid`: those two
 * plus the tools `pinned` names, listed as themselves.
 */
export const codeModeKindSchema = z.enum(['mcp', 'code', 'hybrid']);
export type CodeModeKind = z.output<typeof codeModeKindSchema>;

const MIB = 1024 * 1024;

/** What one `execute_code` program may use; each bound ends the run with a tool error that names it. */
const programLimitsSchema = z
  .strictObject({
    wallMs: z.int().positive().max(600_000).default(10_000).describe('Longest run of one program, waiting on its tool calls included, in milliseconds. Default: 10000.'),
    memoryBytes: z.int().min(MIB).max(1024 * MIB).default(64 * MIB).describe('Memory one program may allocate inside its sandbox, in bytes. Default: 67108864 (64 MiB).'),
    stackBytes: z.int().min(64 * 1024).max(8 * MIB).default(512 * 1024).describe('Stack of one program, in bytes: deep recursion past it ends the run. Default: 524288 (512 KiB).'),
    maxToolCalls: z.int().positive().max(100_000).default(200).describe('Tool calls one program may make; the one past it ends the run. Default: 200.'),
    maxOutputBytes: z.int().positive().default(65_536).describe('Longest text of a program\'s return value, in bytes; longer is cut with a marker that says how much was cut. Default: 65536.'),
    maxConsoleBytes: z.int().min(0).default(16_384).describe('Console output kept per run, in bytes; the rest is dropped with a line that says how much. Default: 16384.'),
    maxTimerMs: z.int().min(0).default(5_000).describe('Longest delay one setTimeout may ask for, in milliseconds. Default: 5000.'),
  })
  .prefault({})
  .describe('Bounds on each execute_code program.');

/** Per-session program state (`state.get/set/delete` inside programs). */
const stateSchema = z
  .strictObject({
    maxBytesPerSession: z.int().min(0).default(1_048_576).describe('Total size of one session\'s state (JSON text of keys and values), in bytes; a set past it fails. 0 turns state off. Default: 1048576.'),
    ttlMs: z.int().positive().default(3_600_000).describe('How long a value lives when the program gives no ttl, and the longest it may ask for, in milliseconds. Default: 3600000 (1 hour).'),
  })
  .prefault({})
  .describe('State kept between the execute_code calls of one session.');

export const codeModeSchema = z
  .strictObject({
    mode: codeModeKindSchema
      .default('mcp')
      .describe('How /mcp and every /servers/<name>/mcp present tools: "mcp" lists each tool, "code" lists search_tools and execute_code only, "hybrid" lists those two plus the pinned tools. A server entry\'s own codeMode wins on its endpoint. Default: "mcp".'),
    pinned: z.array(z.string().min(1)).default([]).describe('hybrid: globs over published tool names listed as themselves besides the two code-mode tools. Default: none.'),
    compactSchemas: z
      .boolean()
      .default(false)
      .describe('Lists tools with schemas stripped of what cannot change validation or meaning ($schema, unused $defs, trivially true keywords, repeated whitespace). Default: false.'),
    maxResultTokens: z.int().positive().optional().describe('Largest tool result, in o200k tokens, a caller receives; larger ones are cut or refused (overBudget). Default: no bound.'),
    overBudget: z.enum(['cut', 'refuse']).default('cut').describe('What happens to a result over maxResultTokens: "cut" keeps its start with a marker saying how much was cut, "refuse" answers a tool error. Default: "cut".'),
    limits: programLimitsSchema,
    workers: z.int().positive().max(64).optional().describe('Worker threads running programs, off the gateway\'s event loop. Default: the smaller of 4 and the CPU count.'),
    maxQueued: z.int().min(0).default(64).describe('Programs waiting for a worker; past it execute_code answers busy. Default: 64.'),
    state: stateSchema,
  })
  .prefault({})
  .describe('Code mode: the catalog behind search_tools and execute_code, each inner call still under policy.');

export type CodeModeConfig = z.output<typeof codeModeSchema>;
