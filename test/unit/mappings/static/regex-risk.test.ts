/**
 * Catastrophic tests.yml sources found from the pattern text: the shapes that make a JavaScript
 * regex run for minutes on a crafted path are flagged; the shapes real mappings use are not.
 */
import { describe, expect, it } from 'vitest';
import { regexRisk } from '../../../../src/mappings/static/regex-risk.js';

const NESTED = 'a repeat inside a repeat that can match the same characters (nested quantifier, like (a+)+)';
const ALT = 'a repeated alternation whose branches can match the same text (like (a|a)*)';

describe('regexRisk', () => {
  it.each([
    ['(a+)+b', NESTED],
    ['(a*)*', NESTED],
    ['(.*)*x', NESTED],
    ['src/(\\w+\\s?)+\\.ts', NESTED],
    ['(?:.+/)+x\\.rb', NESTED],
    ['(?<n>[a-z]+)*', NESTED],
    ['(a{1,3})+', NESTED],
    ['(a|b*)*', NESTED],
    ['(.*a){12}', NESTED],
    ['(?=(a+)+b)', NESTED],
    ['(a|a)*b', ALT],
    ['(\\w|\\d)+$', ALT],
    ['(a|aa)+', ALT],
    ['(x|y|.)*z', ALT],
  ])('%s is flagged', (source, why) => {
    expect(regexRisk(source)).toBe(why);
  });

  it.each([
    'src/(?<rest>.+)\\.ts',
    'app/(.+)\\.rb',
    '(?:ee/)?app/(?<folder>.+)/(?<rest>.+)\\.rb',
    'app/(?:\\w+/)*(\\w+)\\.rb',
    '(?:[^/]+/)*index\\.ts',
    '(?:\\w+\\.)+json',
    '(a+b)+',
    '(a{2})+',
    '(?>a+)+b',
    '(a++)+b',
    '(foo|fab)*',
    '(a|ab)*c',
    '(.|\\n)*',
    'spec/(.+)_spec\\.rb',
    '(?:a+){2}',
    'lib/[a-z{}]+\\.rb',
    '\\A(?<n>.+)\\z',
    '[[:alpha:]]+',
    '(?#comment)(?i)a+',
  ])('%s is not flagged', (source) => {
    expect(regexRisk(source)).toBeUndefined();
  });

  it('never throws on odd input', () => {
    for (const s of ['', '(', ')', '[', '\\', '(?', '{', 'a{', '[^]', '(?<', '\\k<', '\\p{', '[a-', '[\\']) {
      expect(() => regexRisk(s)).not.toThrow();
    }
  });
});
