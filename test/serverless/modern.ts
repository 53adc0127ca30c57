import { modernRequest as request } from '../helpers/mcp-request.js';

/** A 2026-07-28 stateless request (no session): the `_meta` envelope, and the headers that must mirror the body. */
export function modernRequest(method: string, params: Record<string, unknown> = {}, id: number | string = 1): { headers: Record<string, string>; body: string } {
  return request(method, params, { id, clientName: 'serverless-test' });
}

export const INITIALIZE_2025 = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'serverless-test', version: '1.0.0' } } });
