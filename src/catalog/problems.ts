import { charLength } from './order.js';
import type { CatalogKind, CatalogProblem } from './types.js';

const LABEL: Record<CatalogKind, string> = {
  tool: 'tool',
  prompt: 'prompt',
  resource: 'resource',
  resourceTemplate: 'resource template',
};

/**
 * Reports a tool or prompt whose published name is over the limit. The hint names the longest
 * prefix that would fit, because that is the one knob an operator can turn without touching the
 * upstream; when even a one-character prefix cannot fit, it says so instead of suggesting zero.
 *
 * @example
 * nameTooLong({ server: 'fs', kind: 'tool', name: 'x'.repeat(70), published: 'fs__' + 'x'.repeat(70), separator: '__', limit: 64 });
 */
export function nameTooLong(entry: {
  server: string;
  kind: 'tool' | 'prompt';
  name: string;
  published: string;
  separator: string;
  limit: number;
}): CatalogProblem {
  const { server, kind, name, published, separator, limit } = entry;
  const fixed = charLength(separator) + charLength(name);
  const room = limit - fixed;
  const hint =
    room >= 1
      ? `set a shorter "prefix" for this server (at most ${room} characters)`
      : `no prefix is short enough, since the name and separator alone take ${fixed} characters` +
        (kind === 'tool' ? `; exclude it in this server's tool filter to silence this` : '');
  const message =
    `server "${server}": ${LABEL[kind]} "${name}" would be published as "${published}" ` +
    `(${charLength(published)} characters, over the limit of ${limit}); ${hint}`;
  return { server, kind, name, code: 'name-too-long', message };
}

/**
 * Reports an entry withheld because an earlier one (in catalog order) already took its published
 * name or URI. `key` is what clashed: the published name, or the URI (template) itself.
 *
 * @example
 * collision({ server: 'b', kind: 'tool', name: 'search', key: 'x__search', owner: { server: 'a', name: 'search' } });
 */
export function collision(entry: {
  server: string;
  kind: CatalogKind;
  name: string;
  key: string;
  owner: { server: string; name: string };
}): CatalogProblem {
  const { server, kind, name, key, owner } = entry;
  const label = LABEL[kind];
  const namespaced = kind === 'tool' || kind === 'prompt';
  let message: string;
  if (owner.server === server) {
    message = `server "${server}": ${label} "${name}" is listed more than once; only the first is published`;
  } else if (namespaced) {
    message =
      `server "${server}": ${label} "${name}" would be published as "${key}", which server "${owner.server}" ` +
      `already publishes (its ${label} "${owner.name}"); withheld rather than renamed. ` +
      `Give one of the two servers a different "prefix"`;
  } else {
    message =
      `server "${server}": ${label} "${name}" is also listed by server "${owner.server}"; ` +
      `${label} URIs are not prefixed, so only server "${owner.server}"'s is published and requests for it go there`;
  }
  return { server, kind, name, code: 'collision', message };
}
