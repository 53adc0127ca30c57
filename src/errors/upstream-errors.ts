import { ProtocolError, SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import { OutletError, isOutletError } from './outlet-error.js';

/**
 * Classifies what an upstream request rejected with. An upstream's own JSON-RPC error passes
 * through untouched (its code and data are the server's words, not ours); local SDK failures
 * (timeout, closed pipe, send failure) become gateway codes that never blame the client.
 */
export function fromUpstreamError(err: unknown, server: string): Error {
  if (err instanceof ProtocolError || isOutletError(err)) return err as Error;
  if (err instanceof SdkError) {
    switch (err.code) {
      case SdkErrorCode.RequestTimeout:
        return new OutletError('UPSTREAM_TIMEOUT', `upstream "${server}" did not answer in time`, { server }, { cause: err });
      case SdkErrorCode.ConnectionClosed:
      case SdkErrorCode.SendFailed:
      case SdkErrorCode.NotConnected:
        return new OutletError('UPSTREAM_CLOSED', `upstream "${server}" connection closed before it answered`, { server }, { cause: err });
      default:
        return new OutletError('UPSTREAM_ERROR', `upstream "${server}": ${err.message}`, { server, sdkCode: err.code }, { cause: err });
    }
  }
  if (err instanceof Error && err.name === 'AbortError') return err;
  const message = err instanceof Error ? err.message : String(err);
  return new OutletError('UPSTREAM_ERROR', `upstream "${server}": ${message}`, { server }, { cause: err });
}
