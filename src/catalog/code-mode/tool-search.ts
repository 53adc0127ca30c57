import type { Tool } from '@modelcontextprotocol/server';
import MiniSearch, { type SearchResult } from 'minisearch';
import { term, toolDocument, words, type ToolDocument } from './search-terms.js';

/** Characters of a query that are read; the rest is ignored. */
export const MAX_QUERY_LENGTH = 500;
/** Distinct words of a query that are looked up (each fuzzy lookup has a cost). */
export const MAX_QUERY_WORDS = 16;

/** Name over title over argument names over descriptions. */
const BOOST = { name: 5, title: 3, params: 2, description: 1, paramDocs: 0.5 };

export interface SearchOptions {
  /** Most hits returned. */
  limit: number;
  /** Tools the caller may see; a hidden tool neither shows nor counts. */
  visible?: (name: string) => boolean;
}

export interface SearchAnswer {
  hits: Array<{ tool: Tool; score: number }>;
  /** Visible tools that matched, of which `hits` are the best `limit`. */
  total: number;
}

const cache = new WeakMap<readonly Tool[], ToolSearchIndex>();

/**
 * Ranked full-text search over a tool list (MiniSearch, BM25). Words of 4+ characters also match
 * as prefixes and with a typo or two; hits matching more of the query's words come first, then by
 * score. A blank query lists tools in catalog order, so a model can browse.
 *
 * @example
 * const { hits, total } = ToolSearchIndex.for(catalog.tools).search('read file', { limit: 5, visible: (n) => allowed(n) });
 */
export class ToolSearchIndex {
  /**
   * The index of one tool list, built on first use. Cached per array: the catalog builds a new
   * array when a list changes or the config reloads, so a new array gets a new index and the old
   * one goes with the old array.
   */
  static for(tools: readonly Tool[]): ToolSearchIndex {
    let index = cache.get(tools);
    if (!index) {
      index = new ToolSearchIndex(tools);
      cache.set(tools, index);
    }
    return index;
  }

  private readonly index: MiniSearch<ToolDocument>;

  private constructor(private readonly tools: readonly Tool[]) {
    this.index = new MiniSearch<ToolDocument>({
      fields: Object.keys(BOOST),
      tokenize: words,
      processTerm: term,
      searchOptions: {
        boost: BOOST,
        prefix: (t) => t.length >= 4,
        // One typo from 5 characters, two from 10. Not at 4: one edit from a 4-letter word reaches
        // too much ("user" -> "use", "file" -> "fill"), and matched the whole synthetic catalog.
        fuzzy: (t) => (t.length >= 5 ? 0.2 : false),
        maxFuzzy: 2,
        combineWith: 'OR',
      },
    });
    this.index.addAll(tools.map((tool, id) => toolDocument(tool, id)));
  }

  search(query: string, options: SearchOptions): SearchAnswer {
    const limit = Math.max(0, Math.floor(options.limit));
    const visible = options.visible ?? (() => true);
    const lookup = [...new Set(words(query.slice(0, MAX_QUERY_LENGTH)).filter((w) => term(w) !== null))].slice(0, MAX_QUERY_WORDS);
    if (lookup.length === 0) return this.browse(limit, visible);
    const results = this.index.search(lookup.join(' '), { filter: (r) => visible(this.tools[r.id as number]!.name) });
    return { hits: best(results, limit).map((r) => ({ tool: this.tools[r.id as number]!, score: r.score })), total: results.length };
  }

  private browse(limit: number, visible: (name: string) => boolean): SearchAnswer {
    const hits: SearchAnswer['hits'] = [];
    let total = 0;
    for (const tool of this.tools) {
      if (!visible(tool.name)) continue;
      total++;
      if (hits.length < limit) hits.push({ tool, score: 0 });
    }
    return { hits, total };
  }
}

/**
 * The first `limit` results by number of query words matched, then score. MiniSearch already
 * multiplies an OR score by that number; ranking on it first makes "all words before some words"
 * a rule rather than a tendency. The results come sorted by score, so one pass keeping the first
 * `limit` of each word count is enough (no second sort of thousands of matches).
 */
function best(results: SearchResult[], limit: number): SearchResult[] {
  const byWords: SearchResult[][] = [];
  for (const result of results) {
    const bucket = (byWords[result.queryTerms.length] ??= []);
    if (bucket.length < limit) bucket.push(result);
  }
  return byWords.reverse().flatMap((bucket) => bucket ?? []).slice(0, limit);
}
