/** What to run; the sandbox layer may rewrite it before spawn (wrapping in bwrap, changing uid). */
export interface SpawnSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  uid?: number;
  gid?: number;
  /**
   * Bytes the child can read on descriptor 3, a pipe closed after them. The sandbox hands its
   * seccomp program to `bwrap --seccomp 3` this way: no file on disk, nothing on a command line.
   */
  fd3?: Uint8Array;
}
