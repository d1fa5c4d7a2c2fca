import { describe, expect, it } from 'vitest';
import { MapError } from '../../../../../src/errors.js';
import { JsonTokenizer, type JsonTokenKind } from '../../../../../src/mappings/coverage/readers/json-tokenizer.js';

function tokenize(text: string, chunk: number): Array<[JsonTokenKind, string]> {
  const out: Array<[JsonTokenKind, string]> = [];
  const t = new JsonTokenizer('x.json', (k, v) => out.push([k, v]));
  for (let i = 0; i < text.length; i += chunk) t.write(text.slice(i, i + chunk));
  t.end();
  return out;
}

function errorOf(text: string, chunk = 3): MapError {
  try {
    tokenize(text, chunk);
  } catch (err) {
    if (err instanceof MapError) return err;
    throw err;
  }
  throw new Error('expected a MapError');
}

describe('JsonTokenizer', () => {
  const text = '\uFEFF{ "a/b.rb" : ["t\\"q\\\\.rb", "\\u00e9\\ud83d\\ude00\\n"],\n "k": {"x": 1, "y": -2.5e3}, "z": [true, false, null] }';

  it('gives the same tokens whatever the chunk size, including splits inside strings and escapes', () => {
    const whole = tokenize(text, text.length);
    expect(whole.filter(([k]) => k === 'string').map(([, v]) => v)).toEqual(['a/b.rb', 't"q\\.rb', 'é😀\n', 'k', 'x', 'y', 'z']);
    expect(whole.filter(([k]) => k === 'number').map(([, v]) => v)).toEqual(['1', '-2.5e3']);
    for (const size of [1, 2, 3, 5, 7, 13]) expect(tokenize(text, size)).toEqual(whole);
  });

  it('decodes strings exactly as JSON.parse does', () => {
    const strings = ['plain', 'with space', 'ü/ñ/日本.rb', 'q"uote', 'back\\slash', 'tab\tnl\n', '\u2028', '😀'];
    const json = JSON.stringify(strings);
    const got = tokenize(json, 4).filter(([k]) => k === 'string').map(([, v]) => v);
    expect(got).toEqual(strings);
  });

  it('reports the line and column of a bad token', () => {
    const err = errorOf('{\n  "a": [\n    "x",\n    @]\n}');
    expect(err.location).toMatchObject({ file: 'x.json', line: 4, column: 5 });
    expect(err.message).toContain('x.json:4:5');
    expect(err.message).toContain('unexpected character "@"');
  });

  it('reports a truncated file', () => {
    expect(errorOf('{"a": ["spec/a_sp').message).toMatch(/unterminated string/);
  });

  it('rejects invalid escapes, numbers and literals', () => {
    expect(errorOf('["\\x"]').message).toMatch(/invalid escape/);
    expect(errorOf('["\\u12g4"]').message).toMatch(/invalid escape/);
    expect(errorOf('[01]').message).toMatch(/invalid number/);
    expect(errorOf('[nul]').message).toMatch(/unexpected 'nul'/);
  });

  it('splits anywhere in a run of backslashes, a \\u escape or before the closing quote: same as JSON.parse', () => {
    const strings = ['\\', '\\\\', 'a\\"b', '\\"', 'x\\\\"', '\\u00e9\\', '"', '\\\\\\"\\\\', 'end\\'];
    const json = JSON.stringify({ [strings[0]]: strings });
    const want = tokenize(json, json.length);
    expect(want.filter(([k]) => k === 'string').map(([, v]) => v)).toEqual([strings[0], ...strings]);
    for (let size = 1; size <= 12; size++) expect(tokenize(json, size)).toEqual(want);
  });

  it('rejects raw control characters in a string, as JSON.parse does', () => {
    expect(() => JSON.parse('["a\tb"]')).toThrow();
    expect(errorOf('["a\tb"]').message).toMatch(/control character "\\t" in a string/);
    expect(errorOf('{"x\ny": []}', 2).message).toMatch(/control character "\\n"/);
    expect(errorOf('["\u0000"]').message).toMatch(/control character "\\u0000"/);
  });

  // Quadratic before: each escape searched ahead to the closing quote (and a string cut by a
  // chunk boundary was re-read from its start): ~290 s for this key; linear now, ~0.1 s. The
  // generous timeout only catches the quadratic version, not a slow machine.
  it('a 4 MB key full of escapes, in 64 kB and 1 MB chunks, is read in linear time', () => {
    const key = 'a\\n'.repeat((4 << 20) / 3);
    const text = `{"${key}": ["t"]}`;
    const want = Object.keys(JSON.parse(text))[0];
    for (const chunk of [64 << 10, 1 << 20]) {
      const strings = tokenize(text, chunk).filter(([k]) => k === 'string').map(([, v]) => v);
      expect(strings.length).toBe(2);
      expect(strings[0] === want).toBe(true);
    }
  }, 30_000);
});
