import { describe, expect, it } from 'vitest';
import { capturesOf, compileRubySource, RubyRegexError } from '../../../../src/config/ruby-regex.js';

/** Does the tff-anchored source match the path? */
const matches = (source: string, path: string): boolean => compileRubySource(source).regex.test(path);
const rejects = (source: string): string => {
  try {
    compileRubySource(source);
  } catch (err) {
    expect(err).toBeInstanceOf(RubyRegexError);
    return (err as Error).message;
  }
  throw new Error(`expected '${source}' to be rejected`);
};

describe('Ruby regex translation: same paths accepted as tff (/^#{source}$/)', () => {
  it('anchors like tff, including its quirk with a top-level |', () => {
    expect(matches('app/(.+)\\.rb', 'app/models/user.rb')).toBe(true);
    expect(matches('app/(.+)\\.rb', 'x/app/models/user.rb')).toBe(false);
    expect(matches('app/(.+)\\.rb', 'app/models/user.rbx')).toBe(false);
    // ^app|lib$ : "starts with app" or "ends with lib", exactly as Ruby builds it.
    expect(matches('app|lib', 'app/whatever')).toBe(true);
    expect(matches('app|lib', 'some/lib')).toBe(true);
    expect(matches('app|lib', 'some/lib/x')).toBe(false);
  });

  it('translates \\A \\z \\Z \\h \\H', () => {
    expect(matches('\\Aapp/x\\z', 'app/x')).toBe(true);
    expect(matches('\\Aapp/x\\Z', 'app/x')).toBe(true);
    expect(matches('v\\h+', 'vdeadBEEF09')).toBe(true);
    expect(matches('v\\h+', 'vxyz')).toBe(false);
    expect(matches('[\\h_]+', 'ab_12')).toBe(true);
    expect(matches('\\H', 'g')).toBe(true);
    expect(matches('\\H', 'a')).toBe(false);
  });

  it('keeps Ruby meanings of . and \\s (ASCII space set, . matches \\r)', () => {
    expect(matches('a.b', 'a\rb')).toBe(true);
    expect(matches('a.b', 'a\nb')).toBe(false);
    expect(matches('a\\sb', 'a b')).toBe(true);
    expect(matches('a\\sb', 'a\u00a0b')).toBe(false);
    expect(matches('a.b', 'a😀b')).toBe(true); // one character, not two UTF-16 units
  });

  it('possessive quantifiers and atomic groups never give back (emulated exactly)', () => {
    expect(matches('a*a', 'aaa')).toBe(true);
    expect(matches('a*+a', 'aaa')).toBe(false);
    expect(matches('a++b', 'aab')).toBe(true);
    expect(matches('a?+a', 'a')).toBe(false);
    expect(matches('(?>a+)b', 'aab')).toBe(true);
    expect(matches('(?>a+)a', 'aaa')).toBe(false);
    expect(matches('(?>ab|a)b', 'ab')).toBe(false); // first alternative wins, no retry
    expect(matches('(?:ab|a)b', 'ab')).toBe(true);
  });

  it('reads intervals the Ruby way: {,n}, {n}+ (nested repeat), {n}? (optional), and literal braces', () => {
    expect(matches('x{,2}', '')).toBe(true);
    expect(matches('x{,2}', 'xx')).toBe(true);
    expect(matches('x{,2}', 'xxx')).toBe(false);
    expect(matches('a{2}+', 'aaaa')).toBe(true);
    expect(matches('a{2}+', 'aaa')).toBe(false);
    expect(matches('a{2}?', '')).toBe(true);
    expect(matches('a{2}?', 'aa')).toBe(true);
    expect(matches('a{2}?', 'a')).toBe(false);
    expect(matches('a{b}', 'a{b}')).toBe(true);
    expect(matches('{ee/,}x', '{ee/,}x')).toBe(true);
  });

  it('(?i) and (?m) at the start become flags', () => {
    expect(matches('(?i)APP/Foo\\.rb', 'app/fOO.RB')).toBe(true);
    expect(matches('(?m)a.b', 'a\nb')).toBe(true);
  });

  it('named mode: plain groups do not capture; a group that did not participate is ""', () => {
    const c = compileRubySource('(?<prefix>ee/)?(app|lib)/(?<rest>.+)\\.rb');
    expect(c.names).toEqual(['prefix', 'rest']);
    expect(c.groupCount).toBe(0);
    const m = c.regex.exec('lib/a/b.rb')!;
    expect(Object.fromEntries(capturesOf(c, m).named)).toEqual({ prefix: '', rest: 'a/b' });
  });

  it('numbered mode: groups in order, unmatched optional group is ""', () => {
    const c = compileRubySource('(ee/)?app/views/(.+)\\.haml');
    expect(c.groupCount).toBe(2);
    expect(capturesOf(c, c.regex.exec('app/views/projects/show.html.haml')!).positional).toEqual(['', 'projects/show.html']);
    expect(matches('(a)\\1', 'aa')).toBe(true);
    expect(matches('(a)\\1', 'ab')).toBe(false);
  });

  it('passes Unicode general categories, POSIX brackets and escaped punctuation', () => {
    expect(matches('\\p{L}+', 'été')).toBe(true);
    expect(matches('\\p{^L}', '1')).toBe(true);
    expect(matches('[[:digit:]]+_x', '2024_x')).toBe(true);
    expect(matches('a\\-b\\_c', 'a-b_c')).toBe(true);
    expect(matches('[\\-a]+', '-a-')).toBe(true);
    expect(matches('[]a]', ']')).toBe(true);
  });

  it('rejects Ruby-only syntax with the construct named', () => {
    expect(rejects('\\Gfoo')).toMatch(/\\G .*Ruby-only/);
    expect(rejects('a\\Kb')).toMatch(/\\K/);
    expect(rejects('(?x) a b')).toMatch(/extended mode/);
    expect(rejects('(?i:a)b')).toMatch(/scoped options/);
    expect(rejects('a(?i)b')).toMatch(/only supported at the very start/);
    expect(rejects('\\p{Alpha}')).toMatch(/general categories/);
    expect(rejects('[[:punct:]]')).toMatch(/POSIX class/);
    expect(rejects('[a-z&&[^aeiou]]')).toMatch(/intersection/);
    expect(rejects('[[ab]c]')).toMatch(/nested character classes/);
    expect(rejects('(?<n>a)\\1')).toMatch(/numbered backreference/);
    expect(rejects('(?<__ts_x>a)')).toMatch(/reserved/);
    expect(rejects('\\g<n>')).toMatch(/subexpression call/);
    expect(rejects('(?~abc)')).toMatch(/Ruby-only/);
  });

  it('refuses a repeat over something that can match empty (Onigmo and JS differ there)', () => {
    // Ruby 3.1: /^(?>(a|.*?)+)$/ does not match "a/" (the loop stops at the empty iteration);
    // a JS translation would match. Same family: (a|b?)+, (x*)*, (a{1}?)+, (?:^)*.
    for (const src of ['(?>(a|.*?)+)', '(a|b?)+', '(x*)*', '(a{1}?)+', '(?:a|)+', '(?:\\b)*', '(?:x?){2,3}', '(?:a*){2}+']) {
      expect(rejects(src)).toMatch(/can match the empty string/);
    }
    // Loops whose body always consumes, and optional (at most once) parts, are fine.
    for (const src of ['(?:[^/]+/)*x', '(?<dir>.*/)?y', '(a|b)+', '(?:x*/)+', 'a{2}?', '(?:a?){1}', '(?:-\\w+)*']) {
      expect(() => compileRubySource(src)).not.toThrow();
    }
  });

  it('reports the JS engine complaint for regexes invalid in both flavours', () => {
    expect(rejects('app/(.+')).toMatch(/unterminated group/);
    expect(rejects('*a')).toMatch(/nothing to repeat/);
    expect(rejects('[z-a]')).toMatch(/^not a valid regex: Range out of order in character class \(as JavaScript: /);
  });
});
