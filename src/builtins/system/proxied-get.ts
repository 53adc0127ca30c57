import { request } from 'node:http';

/**
 * GET over plain HTTP, through `HTTP_PROXY` when the environment names one: inside its cage a
 * built-in reaches the gateway only through the egress proxy, which takes absolute-form request
 * targets (RFC 9112 section 3.2.2). Bounded in time and size.
 */
export function proxiedGet(url: URL, timeoutMs: number, maxBytes = 1_048_576): Promise<{ status: number; body: string }> {
  const proxy = process.env.HTTP_PROXY ? new URL(process.env.HTTP_PROXY) : undefined;
  return new Promise((resolve, reject) => {
    const req = request(
      proxy
        ? { host: proxy.hostname, port: proxy.port || 80, path: url.href, headers: { host: url.host } }
        : { host: url.hostname, port: url.port || 80, path: `${url.pathname}${url.search}` },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) req.destroy(new Error(`${url.href}: answer larger than ${maxBytes} bytes`));
          else chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${url.href}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
