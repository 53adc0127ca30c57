import * as z from 'zod';
import { parseEgressRules } from '../../config/egress-rules.js';
import { NOTIFY_DEFAULTS, webhookAuthority } from '../../config/builtins/notify.js';
import { systemLookup, type EgressLookup } from '../../sandbox/egress-decision.js';
import { defineServer, defineTool, type ServerDefinition } from '../define.js';
import { follow } from '../http/follow.js';
import { proxyFor } from '../http/proxy-env.js';

export interface NotifyOptions {
  webhooks: Record<string, string>;
  requestTimeoutMs?: number;
}

/** Bytes of a webhook's error answer quoted in the tool error. */
const QUOTED = 300;

/**
 * The `notify` built-in: send_notification posts `{ text, blocks }` (Slack's incoming-webhook
 * shape, which Mattermost, Discord's /slack endpoint and others accept too) to a webhook the config
 * names. Messages never show a webhook's URL: its path is the secret.
 */
export function notifyServer(options: NotifyOptions, env: NodeJS.ProcessEnv = process.env, lookup: EgressLookup = systemLookup): ServerDefinition {
  const names = Object.keys(options.webhooks);
  const rules = parseEgressRules([...new Set(Object.values(options.webhooks).map(webhookAuthority))]);
  const timeoutMs = options.requestTimeoutMs ?? NOTIFY_DEFAULTS.timeoutMs;
  return defineServer({
    name: 'outlet-notify',
    tools: [
      defineTool({
        name: 'send_notification',
        description: `Posts a message to a configured webhook (${names.join(', ')}).`,
        input: z.object({
          target: z.enum(names as [string, ...string[]]).describe(`Webhook name: ${names.join(', ')}`),
          text: z.string().min(1).max(40_000).describe('Message text (Slack mrkdwn)'),
          title: z.string().max(150).optional().describe('Shown in bold above the text'),
          blocks: z.array(z.record(z.string(), z.unknown())).max(50).optional().describe('Slack Block Kit blocks, sent as given'),
        }),
        output: z.object({ target: z.string(), status: z.number() }),
        annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
        run: async ({ target, text, title, blocks }, { signal }) => {
          const url = options.webhooks[target];
          if (url === undefined) throw new Error(`target: no webhook named "${target}" (webhooks: ${names.join(', ')})`);
          const payload = { text: title ? `*${title}*\n${text}` : text, ...(blocks ? { blocks } : {}) };
          const timeout = AbortSignal.timeout(timeoutMs);
          const viaProxy = proxyFor(new URL(url).protocol, env) !== undefined;
          let answer;
          try {
            answer = await follow(
              { method: 'POST', url, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(payload)), followRedirects: false, maxRedirects: 0, maxBytes: 4096, signal: AbortSignal.any([signal, timeout]) },
              { rules, lookup, viaProxy, skipChecks: false },
              env,
            );
          } catch (err) {
            if (timeout.aborted) throw new Error(`target "${target}": no answer within ${timeoutMs} ms (requestTimeoutMs)`, { cause: err });
            throw new Error(`target "${target}": ${(err as Error).message.replace(url, '<webhook URL>')}`, { cause: err });
          }
          if (answer.status < 200 || answer.status > 299) {
            const said = answer.body.toString('utf8').slice(0, QUOTED).trim();
            throw new Error(`target "${target}": the webhook answered ${answer.status} ${answer.statusText}${said ? `: ${said}` : ''}`);
          }
          return { target, status: answer.status };
        },
      }),
    ],
  });
}
