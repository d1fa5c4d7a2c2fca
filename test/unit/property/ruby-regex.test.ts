// Invariants of the Ruby regex translation (src/config/ruby-regex.ts) over generated
// sources: it refuses or translates, never crashes; what it translates compiles; a fully escaped
// source matches exactly its own text; the captures it reports are Ruby's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capturesOf, compileRubySource, RubyRegexError, translateRubyRegex } from '../../../src/config/ruby-regex.js';
import { FC_RUNS } from './runs.js';

const FRAGMENTS = [
  'a',
  'b',
  '/',
  '.',
  '*',
  '+',
  '?',
  '{2}',
  '{,3}',
  '{1,}',
  '(',
  ')',
  '(?:',
  '(?>',
  '(?<n>',
  '(?=',
  '(?!',
  '(?<=',
  '(?#c)',
  '(?i)',
  '[',
  ']',
  '[^',
  '\\',
  '\\d',
  '\\h',
  '\\k<n>',
  '\\1',
  '\\A',
  '\\z',
  '\\b',
  '\\p{L}',
  '\\u0041',
  '[:alpha:]',
  '&&',
  '-',
  '|',
  '^',
  '$',
  'é',
  '😀',
];
const regexish = fc.oneof(
  fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 12 }).map((a) => a.join('')),
  fc.string({ maxLength: 12 }),
);
/** Ruby's Regexp.escape for the characters a path can hold (no newline). */
const rubyEscape = (s: string): string =>
  s.replace(/[.*?+^$|()[\]{}\\/\-\s#]/g, (c) => (c === ' ' ? '\\ ' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : c === '\f' ? '\\f' : c === '\v' ? '\\v' : `\\${c}`));
const pathText = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom('a', 'Z', '/', '.', '-', '_', '(', '[', '{', '$', '^', '\\', ' ', '\t', 'é', '😀', '#'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
    ),
    maxLength: 16,
  })
  .filter((s) => !s.includes('\n'));

/** The names of the capture groups of a JS pattern (outside escapes and classes). */
function groupNamesOf(js: string): string[] {
  const names: string[] = [];
  let inClass = false;
  for (let i = 0; i < js.length; i++) {
    const c = js[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') {
      const m = /^\(\?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(js.slice(i));
      if (m) names.push(m[1]!);
    }
  }
  return names;
}

describe('Ruby regex translation: properties', () => {
  it('refuses with a RubyRegexError or gives a pattern that compiles; the same each time', () => {
    fc.assert(
      fc.property(regexish, (src) => {
        let first: ReturnType<typeof translateRubyRegex> | Error;
        try {
          first = translateRubyRegex(src);
        } catch (err) {
          expect(err).toBeInstanceOf(RubyRegexError);
          expect(() => translateRubyRegex(src)).toThrow((err as Error).message);
          return;
        }
        expect(translateRubyRegex(src)).toEqual(first);
        try {
          const c = compileRubySource(src);
          expect(c.regex.flags).toBe(first.flags);
        } catch (err) {
          expect(err).toBeInstanceOf(RubyRegexError);
        }
      }),
      { numRuns: FC_RUNS * 5 },
    );
  });

  it('only our own group names appear besides the Ruby names; numbered mode has no names', () => {
    fc.assert(
      fc.property(regexish, (src) => {
        let t;
        try {
          t = translateRubyRegex(src);
        } catch {
          return;
        }
        const groupNames = groupNamesOf(t.pattern);
        for (const n of groupNames) {
          const own = /^__ts_g(\d+)$/.exec(n);
          if (own) expect(Number(own[1])).toBeLessThanOrEqual(t.groupCount);
          else if (!n.startsWith('__ts_a')) expect(t.names).toContain(n);
        }
        if (t.names.length > 0) expect(t.groupCount).toBe(0);
      }),
      { numRuns: FC_RUNS * 5 },
    );
  });

  it('an escaped path matches exactly that path', () => {
    fc.assert(
      fc.property(pathText, (path) => {
        const c = compileRubySource(rubyEscape(path));
        expect(c.regex.test(path)).toBe(true);
        expect(c.regex.test(`${path}x`)).toBe(false);
        expect(c.regex.test(`x${path}`)).toBe(false);
      }),
      { numRuns: FC_RUNS },
    );
  });

  it('numbered mode: a group around each escaped piece captures that piece', () => {
    fc.assert(
      fc.property(fc.array(pathText, { minLength: 1, maxLength: 4 }), (pieces) => {
        const c = compileRubySource(pieces.map((p) => `(${rubyEscape(p)})`).join(''));
        expect(c.groupCount).toBe(pieces.length);
        const m = c.regex.exec(pieces.join(''));
        expect(m).not.toBeNull();
        // Ruby's leftmost-first match gives each group its own piece when the pieces are fixed text.
        expect(capturesOf(c, m!).positional.join('')).toBe(pieces.join(''));
      }),
      { numRuns: FC_RUNS },
    );
  });
});
