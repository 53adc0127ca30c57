import type { Tool } from '@modelcontextprotocol/server';

/** A small seeded PRNG (mulberry32): the same catalog and queries on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SERVICES = [
  'github', 'gitlab', 'bitbucket', 'jira', 'linear', 'asana', 'trello', 'notion', 'confluence', 'slack', 'discord', 'teams',
  'gmail', 'outlook', 'gcal', 'zoom', 'postgres', 'mysql', 'sqlite', 'redis', 'mongo', 'bigquery', 'snowflake', 's3', 'gcs',
  'azure_blob', 'fs', 'git', 'docker', 'k8s', 'terraform', 'aws_ec2', 'aws_lambda', 'cloudflare', 'vercel', 'netlify',
  'stripe', 'shopify', 'hubspot', 'salesforce', 'zendesk', 'intercom', 'sentry', 'datadog', 'grafana', 'pagerduty',
  'figma', 'dropbox', 'gdrive', 'box', 'airtable', 'sheets', 'twilio', 'sendgrid', 'openai', 'browser', 'puppeteer',
  'weather', 'maps', 'spotify', 'youtube', 'twitter', 'reddit', 'arxiv', 'wikipedia', 'memory', 'time', 'fetch',
];

const ACTIONS = ['create', 'get', 'list', 'update', 'delete', 'search', 'archive', 'export', 'import', 'sync', 'move', 'copy', 'share', 'assign', 'close', 'reopen', 'merge', 'comment_on', 'upload', 'download'];

const OBJECTS = [
  'issue', 'pull_request', 'comment', 'repository', 'branch', 'commit', 'file', 'directory', 'channel', 'message', 'thread',
  'user', 'team', 'project', 'task', 'ticket', 'page', 'database', 'table', 'row', 'record', 'event', 'calendar', 'invoice',
  'customer', 'order', 'product', 'payment', 'subscription', 'deployment', 'container', 'pod', 'bucket', 'object', 'alert',
  'incident', 'dashboard', 'metric', 'log', 'document', 'spreadsheet', 'label', 'milestone', 'release', 'webhook', 'secret',
];

const QUALIFIERS = ['open', 'recent', 'archived', 'shared', 'private', 'public', 'draft', 'pending', 'failed', 'scheduled'];

const PARAMS: Array<[string, Record<string, unknown>]> = [
  ['id', { type: 'string', description: 'Identifier of the item' }],
  ['owner', { type: 'string', description: 'Account or organisation that owns it' }],
  ['query', { type: 'string', description: 'Free-text search query' }],
  ['limit', { type: 'integer', minimum: 1, maximum: 100, description: 'Most results to return' }],
  ['cursor', { type: 'string', description: 'Pagination cursor from a previous call' }],
  ['title', { type: 'string', description: 'Short title' }],
  ['body', { type: 'string', description: 'Markdown body text' }],
  ['labels', { type: 'array', items: { type: 'string' }, description: 'Labels to apply' }],
  ['assignee', { type: 'string', description: 'User to assign it to' }],
  ['since', { type: 'string', format: 'date-time', description: 'Only items changed after this time' }],
  ['path', { type: 'string', description: 'Path of the file or folder' }],
  ['state', { enum: ['open', 'closed', 'all'], description: 'Filter by state' }],
  ['dryRun', { type: 'boolean', description: 'Preview without changing anything' }],
  ['filters', { type: 'object', properties: { createdAfter: { type: 'string' }, authorEmail: { type: 'string' }, priority: { enum: ['low', 'high'] } }, description: 'Extra filters' }],
  ['region', { type: 'string', description: 'Cloud region such as eu-west-1' }],
  ['timezone', { type: 'string', description: 'IANA time zone name' }],
];

const pick = <T>(rnd: () => number, items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
const human = (s: string) => s.replace(/_/g, ' ');

/** `count` tools shaped like a large aggregate catalog: `service__action_object`, with prose and arguments. */
export function syntheticCatalog(count: number, seed = 7): Tool[] {
  const rnd = random(seed);
  const tools: Tool[] = [];
  const seen = new Set<string>();
  while (tools.length < count) {
    const service = pick(rnd, SERVICES) + (rnd() < 0.3 ? `_${Math.floor(rnd() * 40)}` : '');
    const action = pick(rnd, ACTIONS);
    const object = pick(rnd, OBJECTS);
    const qualifier = rnd() < 0.3 ? `${pick(rnd, QUALIFIERS)}_` : '';
    const name = `${service}__${action}_${qualifier}${object}${action === 'list' || action === 'search' ? 's' : ''}`;
    if (seen.has(name)) continue;
    seen.add(name);
    const params = Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => pick(rnd, PARAMS));
    tools.push({
      name,
      title: `${human(action)} ${human(qualifier)}${human(object)}`.replace(/^\w/, (c) => c.toUpperCase()),
      description:
        `${human(action).replace(/^\w/, (c) => c.toUpperCase())} ${human(qualifier)}${human(object)}s in ${service.split('_')[0]}. ` +
        `Use it when you need to ${pick(rnd, ACTIONS).replace(/_/g, ' ')} a ${human(pick(rnd, OBJECTS))} as part of a workflow; ` +
        `returns the ${human(object)} with its ${human(pick(rnd, OBJECTS))} and ${pick(rnd, ['metadata', 'timestamps', 'owner', 'status', 'links'])}.`,
      inputSchema: { type: 'object', properties: Object.fromEntries(params), required: [params[0]![0]] } as Tool['inputSchema'],
    });
  }
  return tools;
}

/** Queries a model might send: words, phrases, typos, prefixes, service names, sentences, a blank. */
export function syntheticQueries(count: number, seed = 11): string[] {
  const rnd = random(seed);
  const typo = (w: string) => (w.length > 4 ? w.slice(0, 2) + w.slice(3) : w);
  const shapes: Array<() => string> = [
    () => human(pick(rnd, OBJECTS)),
    () => `${pick(rnd, ACTIONS)} ${human(pick(rnd, OBJECTS))}`,
    () => `${pick(rnd, SERVICES).split('_')[0]} ${human(pick(rnd, OBJECTS))}`,
    () => typo(human(pick(rnd, OBJECTS))),
    () => human(pick(rnd, OBJECTS)).slice(0, 4),
    () => `find all ${pick(rnd, QUALIFIERS)} ${human(pick(rnd, OBJECTS))}s assigned to me in ${pick(rnd, SERVICES).split('_')[0]}`,
    () => `${pick(rnd, ACTIONS)}_${pick(rnd, OBJECTS)}`,
    () => `createdAfter ${pick(rnd, ['timezone', 'region', 'cursor'])}`,
    () => pick(rnd, ['weather forecast', 'send email', 'query database rows', 'upload file to bucket', 'restart pod', 'zzqx nothing', 'the', '']),
  ];
  return Array.from({ length: count }, () => pick(rnd, shapes)());
}
