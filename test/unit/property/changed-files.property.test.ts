import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { changedFilesFromList, isNulSeparated, listLines } from '../../../src/changes/from-list.js';
import { FC_RUNS } from './runs.js';

/*
 * Changed-files lists against a strict reading: one path a line (LF or CRLF, a BOM dropped,
 * surrounding spaces trimmed, blank lines skipped), or NUL-separated when the text has a NUL.
 * Whatever the text, reading it never throws, and every listed path is among the changed files,
 * normalised (absolute → relative to the root, no leading ./), unless it is a space-separated
 * line whose every part exists (then the parts are).
 */
const root = realpathSync(mkdtempSync(join(tmpdir(), 'testsift-prop-list-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const EXISTING = ['a.ts', 'b.ts', 'with space.ts', 'sub/c.ts', '.hidden'];
mkdirSync(join(root, 'sub'));
for (const f of EXISTING) writeFileSync(join(root, f), 'x\n');

const name = fc.oneof(
  fc.constantFrom(...EXISTING, 'gone.ts', 'sub/gone.ts', 'x y', 'é.ts', 'sub//c.ts', 'sub/../a.ts', '../out.ts'),
  fc.string({ minLength: 1, maxLength: 8 }),
);
const line = fc.oneof(
  { weight: 5, arbitrary: name },
  { weight: 1, arbitrary: name.map((n) => `./${n}`) },
  { weight: 1, arbitrary: name.map((n) => `${root}/${n}`) },
  { weight: 1, arbitrary: fc.array(name, { minLength: 2, maxLength: 4 }).map((ns) => ns.join(' ')) },
  { weight: 1, arbitrary: fc.tuple(name, fc.constantFrom(' ', '  ', '\t', '')).map(([n, pad]) => `${pad}${n}${pad}`) },
);
const listText = fc
  .tuple(fc.array(line, { maxLength: 8 }), fc.constantFrom('\n', '\r\n', '\0'), fc.boolean(), fc.boolean())
  .map(([lines, eol, bom, blank]) => (bom && eol !== '\0' ? '\uFEFF' : '') + lines.join(blank ? eol + eol : eol) + eol);

/** The strict reading's entries. */
function refEntries(text: string): string[] {
  if (text.includes('\0')) return text.split('\0').filter((p) => p.length > 0);
  return text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .map((l) => l.replace(/\r$/, '').trim())
    .filter((l) => l.length > 0);
}

function refNorm(p: string): string {
  let out = p.startsWith('/') ? posix.relative(root, p) : p;
  while (out.startsWith('./')) out = out.slice(2);
  return out;
}

const exists = (p: string): boolean => {
  try {
    return realpathSync(join(root, p)) !== undefined;
  } catch {
    return false;
  }
};

describe('changed-files lists', () => {
  it('never throw, and name every listed path (or all the parts of a space-separated line of existing files)', () => {
    fc.assert(
      fc.property(fc.oneof(listText, fc.string(), fc.string({ unit: 'binary' })), (text) => {
        const files = changedFilesFromList(listLines(text), root, isNulSeparated(text));
        const got = new Set(files.map((f) => f.path));
        expect(got.size).toBe(files.length); // no duplicates
        for (const f of files) expect(f.status).toBe(exists(f.path) ? 'modified' : 'deleted');
        for (const entry of refEntries(text)) {
          const p = refNorm(entry);
          if (p.trim() === '') continue;
          if (got.has(p)) continue;
          expect(isNulSeparated(text), `${JSON.stringify(entry)} (verbatim) is missing`).toBe(false);
          const parts = p
            .split(/ +/)
            .filter((x) => x.length > 0)
            .map(refNorm);
          expect(parts.length > 1 && parts.every((x) => got.has(x) && exists(x)), `${JSON.stringify(entry)} is missing from ${JSON.stringify([...got])}`).toBe(true);
        }
      }),
      { numRuns: FC_RUNS * 2 },
    );
  });
});
