import { describe, expect, it } from 'vitest';
import { parseSecuritySections } from '../../src/config/auth-schema.js';
import { PolicyEngine } from '../../src/policy/authz/policy-engine.js';
import { TargetResolver } from '../../src/policy/authz/targets.js';
import { templateAlwaysMatches, templateMayMatch, templatePrefix } from '../../src/policy/authz/uri-template-match.js';

describe('a resource template against resource globs', () => {
  it('is compared through the literal text before its first expression', () => {
    expect(templatePrefix('note://secret/{id}')).toBe('note://secret/');
    expect(templatePrefix('file:///{+path}')).toBe('file:///');
    expect(templatePrefix('note://fixed')).toBe('note://fixed');
  });

  it('may match (allow rules) when the prefix and the glob do not contradict each other', () => {
    expect(templateMayMatch(['note://public/**'], 'note://public/{id}')).toBe(true);
    expect(templateMayMatch(['note://public/**'], 'note://{+path}')).toBe(true); // can expand to a public note
    expect(templateMayMatch(['note://public/**'], 'note://secret/{id}')).toBe(false);
    expect(templateMayMatch(['file:///data/*.txt'], 'file:///data/{name}')).toBe(true);
    expect(templateMayMatch(['file:///data/a.txt'], 'file:///data/{name}')).toBe(true); // one literal URI it can produce
    expect(templateMayMatch(['file:///data/a.txt'], 'file:///etc/{name}')).toBe(false);
    expect(templateMayMatch(['note://public/**'], 'note://public/hello')).toBe(true); // no expression: a plain URI
  });

  it('always matches (deny rules) only when every expansion does', () => {
    expect(templateAlwaysMatches(['note://secret/**'], 'note://secret/{id}')).toBe(true);
    expect(templateAlwaysMatches(['note://secret/**'], 'note://secret/archive/{+rest}')).toBe(true);
    expect(templateAlwaysMatches(['note://**'], 'note://{+path}')).toBe(true);
    expect(templateAlwaysMatches(['note://secret/**'], 'note://{+path}')).toBe(false); // only a corner is denied
    expect(templateAlwaysMatches(['note://secret/*'], 'note://secret/{id}')).toBe(true); // {id} never holds a "/"
    expect(templateAlwaysMatches(['note://secret/*'], 'note://secret/{+path}')).toBe(false); // {+path} may
    expect(templateAlwaysMatches(['note://secret/*.md'], 'note://secret/{id}')).toBe(false);
    expect(templateAlwaysMatches(['note://sec**'], 'note://secret/{id}')).toBe(false);
  });
});

describe('PolicyEngine on templates', () => {
  const engine = new PolicyEngine(
    parseSecuritySections({
      policies: [
        { effect: 'allow', roles: ['r'], resources: ['note://**'] },
        { effect: 'deny', roles: ['r'], resources: ['note://secret/**'] },
      ],
    }).policies!,
    'deny',
  );
  const who = { id: 'p', roles: ['r'] };

  it('hides what a deny rule covers, keeps a broad template, refuses dot segments', () => {
    expect(engine.decide(who, { kind: 'resource', uriTemplate: 'note://secret/{id}' }).effect).toBe('deny');
    expect(engine.decide(who, { kind: 'resource', uriTemplate: 'note://{+path}' }).effect).toBe('allow');
    expect(engine.decide(who, { kind: 'resource', uriTemplate: 'note://public/../secret/{id}' }).effect).toBe('deny');
    expect(engine.decide(who, { kind: 'resource', uriTemplate: 'other://{x}' }).effect).toBe('deny'); // no allow: default deny
  });

  it('decides a completion on a template the way its listing is decided', () => {
    const targets = new TargetResolver({ catalog: () => undefined, separator: () => '__', prefixes: () => new Map() });
    const completion = (uri: string) => targets.accessFor({ kind: 'aggregate' }, 'completion/complete', { ref: { type: 'ref/resource', uri }, argument: { name: 'id', value: '' } })!;
    expect(completion('note://{+path}')).toMatchObject({ kind: 'resource', uriTemplate: 'note://{+path}' });
    expect(engine.decide(who, completion('note://{+path}')).effect).toBe('allow');
    expect(engine.decide(who, completion('note://secret/{id}')).effect).toBe('deny');
    // A plain URI stays a URI.
    expect(completion('note://public/hello').uriTemplate).toBeUndefined();
  });
});
