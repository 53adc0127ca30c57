/** MCP log severities, lowest first (spec: utilities/logging). */
const SEVERITY = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

/** Whether a log line at `level` passes a threshold; no threshold means the client did not opt in. */
export function passesLogLevel(threshold: string | undefined, level: unknown): boolean {
  if (threshold === undefined) return false;
  const at = SEVERITY.indexOf(String(level));
  return at === -1 || at >= SEVERITY.indexOf(threshold);
}
