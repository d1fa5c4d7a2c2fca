import { describe, expect, it } from 'vitest';
import { expandBraces, rubyGlob } from '../../../../src/mappings/static/ruby-glob.js';
import { escapeGlob, hasGlobSyntax } from '../../../../src/config/template.js';
import { createFileIndex } from '../../../../src/util/files.js';

const FILES = [
  'spec/a_spec.rb',
  'spec/b_spec.rb',
  'spec/.d_spec.rb',
  'spec/.hidden/c_spec.rb',
  'spec/models/user_spec.rb',
  'spec/models/deep/er/thing_spec.rb',
  'spec/requests/api/hooks_spec.rb',
  'spec/requests/api/users_spec.rb',
  'spec/requests/api/v3/system_hooks_spec.rb',
  'ee/spec/requests/api/group_hook_spec.rb',
  'ee/spec/requests/api/x/web_hooks_spec.rb',
  'spec/x(a).rb',
  'spec/xa.rb',
  'src/[id].ts',
  'src/i.ts',
  'test/routes/[id].test.ts',
  'test/i.test.ts',
];
const index = createFileIndex('/nonexistent-root', FILES);
const glob = (p: string): string[] => rubyGlob(index, p);

describe('Ruby Dir.glob semantics over a FileIndex', () => {
  it('`**/` matches zero or more directories, never hidden ones', () => {
    expect(glob('spec/**/*_spec.rb')).toEqual([
      'spec/a_spec.rb',
      'spec/b_spec.rb',
      'spec/models/deep/er/thing_spec.rb',
      'spec/models/user_spec.rb',
      'spec/requests/api/hooks_spec.rb',
      'spec/requests/api/users_spec.rb',
      'spec/requests/api/v3/system_hooks_spec.rb',
    ]);
  });

  it('`*` and `?` do not match a leading dot; an explicit dot does', () => {
    expect(glob('spec/*')).toEqual(['spec/a_spec.rb', 'spec/b_spec.rb', 'spec/x(a).rb', 'spec/xa.rb']);
    expect(glob('spec/?_spec.rb')).toEqual(['spec/a_spec.rb', 'spec/b_spec.rb']);
    expect(glob('spec/.*')).toEqual(['spec/.d_spec.rb']);
  });

  it('`**` not followed by / is just `*` (no recursion)', () => {
    expect(glob('spec/**')).toEqual(glob('spec/*'));
    expect(glob('spec/m**/user_spec.rb')).toEqual(['spec/models/user_spec.rb']);
  });

  it('braces expand textually, empty alternatives included (GitLab `{ee/,}spec/…`)', () => {
    expect(glob('{ee/,}spec/requests/api/**/*hook*_spec.rb')).toEqual([
      'ee/spec/requests/api/group_hook_spec.rb',
      'ee/spec/requests/api/x/web_hooks_spec.rb',
      'spec/requests/api/hooks_spec.rb',
      'spec/requests/api/v3/system_hooks_spec.rb',
    ]);
    expect(expandBraces('a{b,{c,d}}e')).toEqual(['abe', 'ace', 'ade']);
    expect(expandBraces('{ee/,}x')).toEqual(['ee/x', 'x']);
    expect(expandBraces('{a}')).toEqual(['a']);
    expect(expandBraces('a{b')).toEqual(['a{b']);
    expect(expandBraces('a\\{b,c}')).toEqual(['a\\{b,c}']);
  });

  it('bracket classes: sets, ranges, ! and ^ negation, never /', () => {
    expect(glob('spec/[ab]_spec.rb')).toEqual(['spec/a_spec.rb', 'spec/b_spec.rb']);
    expect(glob('spec/[a-a]_spec.rb')).toEqual(['spec/a_spec.rb']);
    expect(glob('spec/[!a]_spec.rb')).toEqual(['spec/b_spec.rb']);
    expect(glob('spec/[^a]_spec.rb')).toEqual(['spec/b_spec.rb']);
    expect(glob('spec[!x]a_spec.rb')).toEqual([]);
  });

  it('braces after `**/*/` give the union of their expansions (Ruby 3.1 returns nothing there)', () => {
    expect(glob('**/*/{user,thing}_spec.rb')).toEqual(['spec/models/deep/er/thing_spec.rb', 'spec/models/user_spec.rb']);
    expect(glob('**/*/{user,thing}_spec.rb')).toEqual([...glob('**/*/user_spec.rb'), ...glob('**/*/thing_spec.rb')].sort());
  });

  it('a `]` right after `[` closes the class (Ruby: `[]` matches nothing)', () => {
    expect(glob('spec/[]]_spec.rb')).toEqual([]);
  });

  it('`a//b` and `./a` find the plain repo-relative file', () => {
    expect(glob('spec//a_spec.rb')).toEqual(['spec/a_spec.rb']);
    expect(glob('./spec/./?_spec.rb')).toEqual(['spec/a_spec.rb', 'spec/b_spec.rb']);
  });

  it('parentheses, | and + are literal (no extglob)', () => {
    expect(glob('spec/*(a).rb')).toEqual(['spec/x(a).rb']);
    expect(glob('spec/+(x)a.rb')).toEqual([]);
  });

  it('escaped text is matched literally, so a path like src/[id].ts stays itself', () => {
    expect(glob('src/[id].ts')).toEqual(['src/i.ts']); // as a glob, [id] is a class
    expect(glob(escapeGlob('src/[id].ts'))).toEqual(['src/[id].ts']);
    expect(glob(`test/**/${escapeGlob('[id]')}.test.ts`)).toEqual(['test/routes/[id].test.ts']);
    expect(glob(escapeGlob('spec/*'))).toEqual([]);
  });

  it("uses tff's glob test on template text", () => {
    expect(hasGlobSyntax('spec/*_spec.rb')).toBe(true);
    expect(hasGlobSyntax('{ee/,}spec/x.rb')).toBe(true);
    expect(hasGlobSyntax('spec/[ab].rb')).toBe(true);
    expect(hasGlobSyntax('spec/x?.rb')).toBe(true);
    expect(hasGlobSyntax('spec/models/user_spec.rb')).toBe(false);
    expect(hasGlobSyntax('spec/a].rb')).toBe(false);
  });

  it('a brace-free pattern without wildcards is an existence check', () => {
    expect(glob('{spec/a_spec.rb,spec/missing_spec.rb}')).toEqual(['spec/a_spec.rb']);
  });
});
