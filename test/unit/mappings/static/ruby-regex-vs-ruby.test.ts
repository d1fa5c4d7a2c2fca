// Differences from Ruby 3.1 that scripts/ruby-regex-diff.mjs found (Ruby's /^#{source}$/ against
// our translation, on generated patterns and paths); each case here is Ruby's answer.
import { describe, expect, it } from 'vitest';
import { capturesOf, compileRubySource, RubyRegexError } from '../../../../src/config/ruby-regex.js';

const matches = (source: string, path: string): boolean => compileRubySource(source).regex.test(path);
const refusal = (source: string): string => {
  try {
    compileRubySource(source);
  } catch (err) {
    expect(err).toBeInstanceOf(RubyRegexError);
    return (err as Error).message;
  }
  throw new Error(`expected '${source}' to be refused`);
};

describe('Ruby regex translation: cases where Ruby 3.1 and a naive translation differ', () => {
  it('(?i) at the start scopes over a top-level |, so every branch is anchored at the start', () => {
    // Ruby: /^(?i)a|b$/ is ^(?i:a|b$)
    expect(matches('(?i)a|b', 'xb')).toBe(false);
    expect(matches('(?i)a|b', 'B')).toBe(true);
    expect(matches('(?i)a|b', 'Axyz')).toBe(true);
    expect(matches('(?m)a|b', 'xb')).toBe(false);
    const c = compileRubySource('(?i)(x)|(y)');
    expect(capturesOf(c, c.regex.exec('xyz')!).positional).toEqual(['x', '']);
    // Without inline options tff's quirk stays: ^a|b$ is "starts with a" or "ends with b".
    expect(matches('a|b', 'xb')).toBe(true);
  });

  it('\\b and \\B see Unicode word characters, as in Ruby', () => {
    expect(matches('é\\b', 'é')).toBe(true);
    expect(matches('a\\Bé', 'aé')).toBe(true);
    expect(matches('a\\bé', 'aé')).toBe(false);
    expect(matches('a\\b/', 'a/')).toBe(true);
    expect(matches('[\\b]', '\b')).toBe(true); // in a class, still a backspace
  });

  it('refuses a backreference inside its own group, or to a name not defined before it', () => {
    expect(refusal('(a\\1)')).toMatch(/inside the group it refers to/);
    expect(refusal('(?<n>a\\k<n>)')).toMatch(/inside the group it refers to/);
    expect(refusal('\\k<n>(?<n>a)')).toMatch(/not defined before it/);
    expect(matches('(?<n>a)\\k<n>', 'aa')).toBe(true);
  });

  it('refuses a repeated group whose capture not every repetition sets (JS clears it, Ruby keeps it)', () => {
    // Ruby: /^(?:(a)|b)+$/ on "ab" captures "a"; JavaScript would give nothing.
    for (const src of ['(?:(a)|b)+', '(?:x(a)?)+', '(?:(?<n>a)|b){2}', '((a)|b)*']) expect(refusal(src)).toMatch(/capture that not every repetition sets/);
    for (const src of ['(?:([^/]+)/)*x', '(a|b)+', '(?:(a)b)+', '(?:(a)|b)?']) expect(() => compileRubySource(src)).not.toThrow();
  });

  it('refuses what Ruby rejects in a look-behind (variable length) and what the emulation cannot do there', () => {
    for (const src of ['(?<=a+)b', '(?<!a?)b', '(?<=a{1,2})b', '(?<=(a|bc))d', '(?<=(?>a))b', '(a)(?<=\\1)']) expect(refusal(src)).toMatch(/look-behind/);
    for (const src of ['(?<=ab|c)d', '(?<!a{2})b', '(?<=[ab]\\.)c']) expect(() => compileRubySource(src)).not.toThrow();
  });

  it('with (?i), refuses property and POSIX classes that JavaScript would case-fold and Ruby does not', () => {
    expect(refusal('(?i)\\p{Lu}')).toMatch(/case-fold/);
    expect(refusal('(?i)[[:upper:]]')).toMatch(/case-fold/);
    expect(matches('(?i)[[:digit:]]x', '1X')).toBe(true);
    expect(matches('\\p{Lu}', 'A')).toBe(true);
  });
});
