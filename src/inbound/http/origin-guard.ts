import { hostHeaderValidationResponse, localhostAllowedHostnames, localhostAllowedOrigins, originValidationResponse } from '@modelcontextprotocol/server';

export interface OriginGuardOptions {
  listenHost: string;
  allowedHosts?: string[];
  allowedOrigins?: string[];
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * DNS-rebinding protection (spec: basic/transports, security warning): a browser page on another
 * site must not reach a local gateway by pointing its own hostname at 127.0.0.1. Host is checked
 * against an allowlist (by default the loopback names when bound to loopback), and a present
 * Origin must be an allowed one (403 otherwise). Returns a ready response to refuse, or undefined.
 */
export function createOriginGuard(options: OriginGuardOptions): (request: Request) => Response | undefined {
  const loopback = LOOPBACK.has(options.listenHost);
  const hosts = options.allowedHosts ?? (loopback ? localhostAllowedHostnames() : undefined);
  const origins = options.allowedOrigins ?? (loopback ? localhostAllowedOrigins() : options.allowedHosts);
  return (request) => {
    if (hosts) {
      const refused = hostHeaderValidationResponse(request, hosts);
      if (refused) return refused;
    }
    if (origins && request.headers.has('origin')) {
      const refused = originValidationResponse(request, origins);
      if (refused) return refused;
    }
    return undefined;
  };
}
