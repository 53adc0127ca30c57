/**
 * The proxy a URL's scheme goes through, from the usual variables (HTTPS_PROXY for https,
 * HTTP_PROXY for http, ALL_PROXY for both; upper or lower case). In the sandbox these point at the
 * forwarder in front of the gateway's egress proxy, the only way out of the network namespace.
 * NO_PROXY is not honoured: every destination is checked the same way whichever path it takes.
 */
export function proxyFor(protocol: string, env: NodeJS.ProcessEnv = process.env): URL | undefined {
  const names = protocol === 'https:' ? ['HTTPS_PROXY', 'https_proxy'] : ['HTTP_PROXY', 'http_proxy'];
  const raw = [...names, 'ALL_PROXY', 'all_proxy'].map((name) => env[name]).find((value) => value !== undefined && value !== '');
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    throw new Error(`the proxy variable's value "${raw}" is not a URL`);
  }
  if (url.protocol !== 'http:') throw new Error(`only http:// proxies are supported, the environment names "${url.protocol}//"`);
  return url;
}
