import { describe, expect, it } from 'vitest';
import { MapError } from '../../src/errors.js';
import { JsonTokenizer, type JsonTokenKind } from '../../src/mappings/coverage/readers/json-tokenizer.js';

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
});
