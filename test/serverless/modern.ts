/** A 2026-07-28 stateless request (no session): the `_meta` envelope, and the headers that must mirror the body. */
export function modernRequest(method: string, params: Record<string, unknown> = {}, id: number | string = 1): { headers: Record<string, string>; body: string } {
  const name: Record<string, string> = typeof params.name === 'string' ? { 'mcp-name': params.name } : {};
  return {
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': method, ...name },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id,
      method,
      params: {
        ...params,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': {},
          'io.modelcontextprotocol/clientInfo': { name: 'serverless-test', version: '1.0.0' },
        },
      },
    }),
  };
}

export const INITIALIZE_2025 = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'serverless-test', version: '1.0.0' } } });
