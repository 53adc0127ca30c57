import type { Tool } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { words } from './search-terms.js';
import { MAX_QUERY_LENGTH, ToolSearchIndex } from './tool-search.js';

const tool = (name: string, description = '', properties: Record<string, unknown> = {}, title?: string): Tool => ({
  name,
  description,
  ...(title ? { title } : {}),
  inputSchema: { type: 'object', properties } as Tool['inputSchema'],
});

const CATALOG: Tool[] = [
  tool('github__create_issue', 'Open a new issue in a repository.', { owner: { type: 'string' }, repo: { type: 'string', description: 'Repository name' } }),
  tool('github__list_pull_requests', 'List pull requests of a repository.'),
  tool('jira__createTicket', 'Create a ticket in a Jira project.', { fields: { type: 'object', properties: { assigneeEmail: { type: 'string' } } } }),
  tool('fs__read_text_file', 'Read the text of a file.', { path: { type: 'string', description: 'Where the file lives' } }, 'Read text file'),
  tool('fs__write_file', 'Write text into a file, replacing it.'),
  tool('slack__post_message', 'Post a message to a channel. Mentions an issue tracker in passing.', { items: { type: 'array', items: { $ref: '#/$defs/Att' } } }),
  tool('weather.forecast-daily', 'Daily weather for a city.', { city: { type: 'string' }, units: { enum: ['metric', 'imperial'] } }),
  tool('db__query', 'Run a SQL statement against the warehouse.', { sql: { type: 'string', description: 'One statement; supports window functions' } }),
];
(CATALOG[5]!.inputSchema as Record<string, unknown>).$defs = { Att: { type: 'object', properties: { thumbnailUrl: { type: 'string' } } } };

const names = (query: string, limit = 5, visible?: (name: string) => boolean) => ToolSearchIndex.for(CATALOG).search(query, { limit, visible }).hits.map((h) => h.tool.name);

describe('words', () => {
  it('splits names on __, _, -, . and camelCase humps', () => {
    expect(words('github__create_issue')).toEqual(['github', 'create', 'issue']);
    expect(words('jira__createTicket')).toEqual(['jira', 'create', 'Ticket']);
    expect(words('weather.forecast-daily')).toEqual(['weather', 'forecast', 'daily']);
    expect(words('parseHTMLBody v2')).toEqual(['parse', 'HTML', 'Body', 'v2']);
  });
});

describe('ToolSearchIndex', () => {
  it('finds a tool by the words of its name, however the name is spelled', () => {
    expect(names('create issue')[0]).toBe('github__create_issue');
    expect(names('create ticket')[0]).toBe('jira__createTicket');
    expect(names('createTicket')[0]).toBe('jira__createTicket');
    expect(names('forecast')[0]).toBe('weather.forecast-daily');
  });

  it('ranks a name match over a description match', () => {
    // "issue" is in github__create_issue's name and in slack__post_message's description.
    expect(names('issue')).toEqual(['github__create_issue', 'slack__post_message']);
  });

  it('ranks tools matching every word before tools matching some, however strong', () => {
    expect(names('write file').slice(0, 2)).toEqual(['fs__write_file', 'fs__read_text_file']);
    // Both words only in one argument's long description, against "file" everywhere: MiniSearch's
    // own scoring would put the second first (12.7 against 1.1).
    const tools = [
      tool('notes__append', 'Append a line to a note kept for later review.', { target: { type: 'string', description: 'The note to change; needs write access to its backing file on the shared disk of the host' } }),
      tool('files__file_info', 'File details: file size, file owner, file dates.', { file: { type: 'string', description: 'The file' } }, 'File info'),
    ];
    const hits = ToolSearchIndex.for(tools).search('write file', { limit: 5 }).hits;
    expect(hits.map((h) => h.tool.name)).toEqual(['notes__append', 'files__file_info']);
    expect(hits[1]!.score).toBeGreaterThan(hits[0]!.score);
  });

  it('matches prefixes and typos of words with 4+ characters, and neither for shorter words', () => {
    expect(names('repos')).toContain('github__create_issue'); // repository
    expect(names('forcast')).toEqual(['weather.forecast-daily']);
    expect(names('sq')).toEqual([]); // no prefix for a 2-letter word
  });

  it('searches argument names and their descriptions, one level down too, through a $ref', () => {
    expect(names('owner')).toEqual(['github__create_issue']);
    expect(names('assignee email')).toEqual(['jira__createTicket']);
    expect(names('thumbnail')).toEqual(['slack__post_message']);
    expect(names('window functions')).toEqual(['db__query']);
  });

  it('counts and shows only visible tools, applying the limit after the filter', () => {
    const index = ToolSearchIndex.for(CATALOG);
    const all = index.search('file', { limit: 1 });
    expect(all.total).toBe(2);
    const hidden = index.search('file', { limit: 1, visible: (n) => n !== all.hits[0]!.tool.name });
    expect(hidden.total).toBe(1);
    expect(hidden.hits).toHaveLength(1);
    expect(hidden.hits[0]!.tool.name).not.toBe(all.hits[0]!.tool.name);
  });

  it('lists visible tools in catalog order for a blank query (or one of stop words only)', () => {
    const visible = (n: string) => !n.startsWith('github');
    for (const q of ['', '   ', 'the of and']) {
      const answer = ToolSearchIndex.for(CATALOG).search(q, { limit: 2, visible });
      expect(answer.hits.map((h) => h.tool.name)).toEqual(['jira__createTicket', 'fs__read_text_file']);
      expect(answer.total).toBe(CATALOG.length - 2);
    }
  });

  it('reads at most MAX_QUERY_LENGTH characters of a query', () => {
    expect(names(`${'x'.repeat(MAX_QUERY_LENGTH - 8)} weather`)).toEqual(['weather.forecast-daily']);
    expect(names(`${'x'.repeat(MAX_QUERY_LENGTH)} weather`)).toEqual([]);
  });

  it('keeps one index per tool array: the same array reuses it, a rebuilt one gets its own', () => {
    const first = ToolSearchIndex.for(CATALOG);
    expect(ToolSearchIndex.for(CATALOG)).toBe(first);
    const rebuilt = [...CATALOG, tool('new__thing', 'A brand new capability.')];
    expect(ToolSearchIndex.for(rebuilt)).not.toBe(first);
    expect(ToolSearchIndex.for(rebuilt).search('capability', { limit: 5 }).hits.map((h) => h.tool.name)).toEqual(['new__thing']);
  });

  it('gives each hit its score', () => {
    const hits = ToolSearchIndex.for(CATALOG).search('file text', { limit: 5 }).hits;
    expect(hits.length).toBeGreaterThan(1);
    expect(hits.every((h) => h.score > 0)).toBe(true);
  });
});
