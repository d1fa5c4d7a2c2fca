import fc from 'fast-check';

/** Characters that matter to the parsers, plus a few that never should. */
const SPECIAL = [
  '{',
  '}',
  '[',
  ']',
  ':',
  ',',
  '"',
  '\\',
  ' ',
  '\n',
  '\r',
  '\t',
  '1',
  '0',
  '-',
  'e',
  '.',
  '/',
  'a',
  'n',
  'u',
  '#',
  "'",
  '\0',
  '\uFEFF',
  '\ud800',
  'é',
  '-',
  '*',
  '&',
  '!',
  '|',
  '>',
  '?',
  '%',
];

type Op = { kind: 'delete' | 'insert' | 'replace' | 'truncate' | 'duplicate'; at: number; text: string };

const op: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'replace', 'truncate', 'duplicate'),
  at: fc.nat(),
  text: fc.oneof(fc.constantFrom(...SPECIAL), fc.string({ maxLength: 3 })),
});

function apply(s: string, o: Op): string {
  if (s.length === 0) return o.text;
  const at = o.at % (s.length + 1);
  switch (o.kind) {
    case 'delete':
      return s.slice(0, at) + s.slice(at + 1);
    case 'insert':
      return s.slice(0, at) + o.text + s.slice(at);
    case 'replace':
      return s.slice(0, at) + o.text + s.slice(at + 1);
    case 'truncate':
      return s.slice(0, at);
    case 'duplicate':
      return s.slice(0, at) + s.slice(at, at + 8) + s.slice(at);
  }
}

/** A few random edits of a valid text: mostly still near-valid, so the parsers' error paths get exercised deeply. */
export function mutated(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(valid, fc.array(op, { minLength: 1, maxLength: 4 })).map(([s, ops]) => ops.reduce(apply, s));
}

/** Split a text into chunks at random places (for streaming readers). */
export function chunksOf(text: string, cuts: number[]): string[] {
  const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let prev = 0;
  for (const c of at) {
    out.push(text.slice(prev, c));
    prev = c;
  }
  out.push(text.slice(prev));
  return out.filter((c) => c.length > 0);
}
