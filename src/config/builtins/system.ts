import * as z from 'zod';
import { builtinSpec } from './builtin-spec.js';

/**
 * `system`: what the machine is and how it is doing, and how the outlet's own upstreams are (read
 * from the gateway's `/ready`). Its cage mounts nothing and lets it reach only that one URL.
 */
export const systemBuiltin = builtinSpec({
  name: 'system',
  description: 'The machine (OS, CPUs, memory, disks) and its load, and the state of the outlet\'s own upstreams and instances, read from the gateway\'s /ready. Reaches only the gateway.',
  options: {
    gatewayUrl: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('Base URL of the gateway whose /ready get_system_status reports. Default: http://<listen.host>:<listen.port> of this config.'),
    disks: z.array(z.string().min(1)).default(['/']).describe('Paths whose file systems get_system_status reports (as the server sees them, inside its cage). Default: ["/"].'),
  },
  resolve: (options, _baseDir, gateway) => ({ ...options, gatewayUrl: options.gatewayUrl ?? gateway.url }),
  sandbox: (resolved) => {
    const url = new URL(String(resolved.gatewayUrl));
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return { network: { allow: [`${url.hostname.replace(/^\[|\]$/g, '')}:${port}`] } };
  },
});
