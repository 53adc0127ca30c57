/**
 * The upstream side as observability reads it, declared here with only the fields it reads (see
 * observed-request.ts): the router's UpstreamCall, the supervisor's status and a managed
 * upstream's ConsoleBuffer fit these as they are.
 */

/** One request on its way to an upstream, as the upstream span reads it (the router's UpstreamCall fits). */
export interface ObservedUpstreamCall {
  readonly server: string;
  readonly method: string;
  /** Written: the span's trace context goes into `params._meta` (in place only when `paramsOwned`). */
  params: Record<string, unknown>;
  /** `params` is this call's own copy: `_meta` may be added to it in place. */
  readonly paramsOwned?: boolean;
  readonly connection: {
    /** The server entry (recorded on the span, redacted). */
    readonly config: object;
    readonly protocolVersion?: string | undefined;
  };
}

/** One supervised upstream, as the metrics read it at scrape time (the supervisor's UpstreamStatus fits). */
export interface ObservedUpstreamStatus {
  readonly name: string;
  readonly state: string;
  readonly restarts: number;
  /** Servers not in `shared` mode: the mode and the processes running for calls. */
  readonly instances?: { readonly mode: string; readonly running: number };
  /** Processes killed per sandbox limit. */
  readonly killedForLimit?: Readonly<Record<string, number>>;
}

/** One line an upstream printed. */
export interface ObservedConsoleLine {
  readonly ts: number;
  readonly stream: string;
  readonly line: string;
}

/** Where a server's console lines come from (a managed upstream's ConsoleBuffer fits). */
export interface ConsoleSource {
  /** Where the next line will be (ConsoleBuffer.mark). */
  readonly mark: number;
  /** The lines pushed since a mark that are still held (at most `limit`). */
  since(mark: number, limit?: number): { readonly lines: readonly ObservedConsoleLine[] };
}
