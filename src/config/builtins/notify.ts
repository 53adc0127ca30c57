import { isIP } from 'node:net';
import * as z from 'zod';
import { builtinSpec } from './builtin-spec.js';

export const NOTIFY_DEFAULTS = { timeoutMs: 10_000 } as const;

const webhookUrl = z.string().superRefine((raw, ctx) => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return ctx.addIssue({ code: 'custom', message: 'expected an absolute https:// (or http://) URL' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') ctx.addIssue({ code: 'custom', message: `only http:// and https:// webhooks, got "${url.protocol}"` });
  if (url.username !== '' || url.password !== '') ctx.addIssue({ code: 'custom', message: 'no user:password@ in a webhook URL' });
});

/** `host:port` of a webhook URL, as a sandbox.network.allow entry: that port only. */
export function webhookAuthority(raw: string): string {
  const url = new URL(raw);
  const host = url.hostname;
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return `${isIP(host.replace(/^\[|\]$/g, '')) === 6 && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
}

/** `notify`: posts a message to a webhook the config names; callers pick a name, never a URL. */
export const notifyBuiltin = builtinSpec({
  name: 'notify',
  description: 'Posts a Slack-compatible message ({ text, blocks }) to a webhook named in the config (send_notification); the caller picks a name, never a URL. Reaches only the webhooks\' hosts, through the egress proxy.',
  options: {
    webhooks: z
      .record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'a webhook name is 1-64 of A-Z a-z 0-9 _ . -' }), webhookUrl)
      .refine((hooks) => Object.keys(hooks).length > 0, { error: 'name at least one webhook' })
      .describe('Webhooks by name, as in { "team": "https://hooks.slack.com/services/..." }. The URLs stay in the gateway\'s config; callers see the names only.'),
    requestTimeoutMs: z.int().positive().max(120_000).optional().describe(`Time for one post. Default: ${NOTIFY_DEFAULTS.timeoutMs}.`),
  },
  resolve: (options) => ({ ...options }),
  sandbox: (resolved) => ({ network: { allow: [...new Set(Object.values(resolved.webhooks as Record<string, string>).map(webhookAuthority))] } }),
});
