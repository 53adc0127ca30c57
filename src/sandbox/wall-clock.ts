/**
 * The host-side half of `limits.wallClockSeconds`: calls `kill` (the transport's `kill()`, a
 * SIGKILL to the process group) when the time is up. Nothing inside the sandbox can stop a timer
 * in the gateway; with `--die-with-parent` and the pid namespace the whole tree goes with it.
 * Returns a function that disarms the timer; call it from the transport's `onExit`.
 *
 * @example
 * const disarm = armWallClock(sandboxed.supervise.wallClockSeconds, () => transport.kill());
 */
export function armWallClock(seconds: number | undefined, kill: () => void): () => void {
  if (seconds === undefined) return () => undefined;
  const timer = setTimeout(kill, seconds * 1000);
  timer.unref(); // a server's deadline must not keep the gateway alive
  return () => clearTimeout(timer);
}
